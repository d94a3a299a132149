using NotebookKit.Data;

namespace NotebookKit.Experiments;

/// <summary>The data every strategy of a run shares: the same split, the same pipelines.</summary>
/// <param name="Source">The dataset as found.</param>
/// <param name="Train">Training samples (after the optional per-class subset).</param>
/// <param name="Validation">Validation samples.</param>
public sealed record PreparedData(DatasetSource Source, ImageDataset Train, ImageDataset Validation)
{
    /// <summary>
    /// Opens and splits the data the settings name (stratified, seeded), after checking the settings
    /// (<see cref="TrainSettings.Validate"/>). Refuses data that cannot be trained on: fewer than two classes with
    /// training images (a one-class dataset "trains" to 100%), or no validation images to measure on.
    /// </summary>
    /// <exception cref="DatasetException">The data cannot be trained on; the message names it and says what is missing.</exception>
    public static PreparedData From(TrainSettings settings)
    {
        settings.Validate();
        var source = Datasets.Open(settings.Data);
        var (train, validation) = source.Split(settings.ValidationFraction, settings.Seed);
        if (settings.TrainPerClass is { } t) train = DatasetSplits.PerClass(train, t, settings.Seed);
        if (settings.ValidationPerClass is { } v) validation = DatasetSplits.PerClass(validation, v, settings.Seed);
        return Trainable(new PreparedData(source, train, validation));
    }

    static PreparedData Trainable(PreparedData data)
    {
        var counts = data.Train.ClassCounts();
        var classes = data.Train.Classes.Where((_, i) => counts[i] > 0).ToList();
        if (classes.Count < 2)
            throw new DatasetException($"{data.Source.Root}: {classes.Count} class(es) with training images"
                + (classes.Count == 1 ? $" ('{classes[0]}')" : "")
                + "; training needs at least two (with one, every prediction is right). Give each class its own sub-folder (or label in the CSV), and check the data with `nbkit data inspect`.");
        if (data.Validation.Count == 0)
            throw new DatasetException($"{data.Source.Root}: no validation images (every class has fewer than two images), so accuracy cannot be measured. Add images: at least two per class.");
        return data;
    }
}
