using System.Globalization;

namespace NotebookKit.Experiments;

/// <summary>
/// How much training each size of a data-size study gets: <see cref="Epochs"/> epochs, or at least <see cref="MinSteps"/>
/// optimiser steps, whichever is more. A fixed number of epochs would leave the smallest sizes (a few steps an epoch)
/// untrained; a fixed number of steps would give the largest less than one pass over their data. At every size all
/// strategies get the same steps, so each size's comparison is fair; fine-tuning's head phase keeps the same share
/// (<see cref="HeadFraction"/>) of the budget at every size.
/// </summary>
/// <param name="Epochs">Epochs at least. Default 4 (the default preset's).</param>
/// <param name="MinSteps">Optimiser steps at least. Default 100.</param>
/// <param name="HeadFraction">Share of the epochs fine-tuning spends on the head before unfreezing (at least one). Default 0.25 (fastai's one epoch of four).</param>
public sealed record StudyBudget(int Epochs = 4, int MinSteps = 100, double HeadFraction = 0.25)
{
    /// <summary>The epochs for a training set of <paramref name="batchesPerEpoch"/> batches.</summary>
    public int EpochsFor(int batchesPerEpoch) => Math.Max(Epochs, (MinSteps + batchesPerEpoch - 1) / Math.Max(1, batchesPerEpoch));

    /// <summary>Fine-tuning's head epochs within <paramref name="epochs"/>.</summary>
    public int HeadEpochsFor(int epochs) => Math.Clamp((int)Math.Round(epochs * HeadFraction), 1, Math.Max(1, epochs - 1));

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"every size trains {Epochs} epochs or {MinSteps} optimiser steps, whichever is more, the same for every strategy; fine-tuning spends {HeadFraction:P0} of its epochs on the head");
}
