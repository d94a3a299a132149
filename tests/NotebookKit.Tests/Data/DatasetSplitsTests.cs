using NotebookKit.Data;

namespace NotebookKit.Tests.Data;

public class DatasetSplitsTests
{
    static ImageDataset Train => EmbeddedData.FashionMnistSmall().Train;

    [Fact]
    public void Stratified_split_keeps_class_proportions_and_is_disjoint()
    {
        var (train, validation) = DatasetSplits.Stratified(Train, 0.2, seed: 7);

        Assert.Equal(Enumerable.Repeat(80, 10), train.ClassCounts());
        Assert.Equal(Enumerable.Repeat(20, 10), validation.ClassCounts());
        var a = Enumerable.Range(0, train.Count).Select(train.PathOf).ToHashSet();
        Assert.DoesNotContain(Enumerable.Range(0, validation.Count).Select(validation.PathOf), a.Contains);
    }

    [Fact]
    public void Same_seed_same_split_other_seed_other_split()
    {
        string Key(int seed) => string.Join(",", Enumerable.Range(0, 50).Select(DatasetSplits.Stratified(Train, 0.2, seed).Validation.PathOf));

        Assert.Equal(Key(3), Key(3));
        Assert.NotEqual(Key(3), Key(4));
    }

    [Fact]
    public void Per_class_subset_is_balanced_and_seeded()
    {
        var subset = DatasetSplits.PerClass(Train, 5, seed: 1);

        Assert.Equal(Enumerable.Repeat(5, 10), subset.ClassCounts());
        Assert.Equal(Enumerable.Range(0, 50).Select(subset.PathOf), Enumerable.Range(0, 50).Select(DatasetSplits.PerClass(Train, 5, seed: 1).PathOf));
    }

    [Fact]
    public void A_bad_fraction_is_refused_with_the_expected_range()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplits.Stratified(Train, 1.5, 0));
        Assert.Contains("between 0 and 1", e.Message);
    }
}
