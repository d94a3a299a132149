namespace NotebookKit.Models;

/// <summary>What happens to BatchNorm layers inside frozen stages. The choice matters (pytorch#86590, keras#9965).</summary>
public enum BatchNormPolicy
{
    /// <summary>Frozen stages keep BatchNorm in eval mode even while the model trains: statistics stay those of
    /// the pretrained network (Keras's <c>training=False</c>, timm's <c>FrozenBatchNorm2d</c>). The default, and what
    /// "frozen" should mean.</summary>
    FrozenStatistics,
    /// <summary>BatchNorm's affine parameters stay trainable and its statistics update, everything else frozen (fastai's <c>train_bn</c>).</summary>
    TrainAffine,
    /// <summary>Weights frozen, but BatchNorm statistics update in training mode: the common pitfall, kept to demonstrate it.</summary>
    Naive,
}
