namespace NotebookKit.Training;

/// <summary>The loss became NaN or infinite; the message says when and what to try.</summary>
public sealed class TrainingDivergedException(int epoch, int batch, double learningRate, double loss)
    : KitException($"Training diverged: loss {loss} at epoch {epoch}, batch {batch}, learning rate {learningRate:G3}. Lower the learning rate (e.g. x0.1), add --clip-grad-norm 1, or check the inputs are normalized.")
{
    /// <inheritdoc/>
    public override int ExitCode => 1;

    /// <summary>The epoch it happened in.</summary>
    public int Epoch { get; } = epoch;
}
