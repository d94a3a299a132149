using NotebookKit.Data;

namespace NotebookKit.Experiments;

/// <summary>The data every strategy of a run shares: the same split, the same pipelines.</summary>
/// <param name="Source">The dataset as found.</param>
/// <param name="Train">Training samples (after the optional per-class subset).</param>
/// <param name="Validation">Validation samples.</param>
public sealed record PreparedData(DatasetSource Source, ImageDataset Train, ImageDataset Validation)
{
    /// <summary>Opens and splits the data the settings name (stratified, seeded).</summary>
    public static PreparedData From(TrainSettings settings)
    {
        var source = Datasets.Open(settings.Data);
        var (train, validation) = source.Split(settings.ValidationFraction, settings.Seed);
        if (settings.TrainPerClass is { } t) train = DatasetSplits.PerClass(train, t, settings.Seed);
        if (settings.ValidationPerClass is { } v) validation = DatasetSplits.PerClass(validation, v, settings.Seed);
        return new PreparedData(source, train, validation);
    }
}
