using System.Text.Json;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Experiments;

public class TransferabilityTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    [Fact]
    public void The_experiment_reports_every_treatment_at_every_depth_and_draws_the_figure()
    {
        var result = BuildOutputs.RunCli("transferability", "--preset", "smoke", "--epochs", "1", "--train-per-class", "6", "--val-per-class", "4", "--out", temp.Path, "--json");

        Assert.True(result.ExitCode == 0, result.Tail());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var points = json.RootElement.GetProperty("points").EnumerateArray()
            .Select(p => (Treatment: p.GetProperty("treatment").GetString()!, N: p.GetProperty("n").GetInt32(), Mean: p.GetProperty("mean").GetDouble(),
                Accuracies: p.GetProperty("accuracies").EnumerateArray().Select(a => a.GetDouble()).ToList())).ToList();
        foreach (var treatment in new[] { "AnB", "AnB+", "BnB", "BnB+" })
            Assert.Equal([1, 2, 3, 4, 5], points.Where(p => p.Treatment == treatment).Select(p => p.N));
        Assert.Contains(points, p => p.Treatment == "base B" && p.N == 0);
        // half B is validated on 5 classes x 4 images: every accuracy is k/20, and the mean is the seeds' mean
        Assert.All(points, p => Assert.All(p.Accuracies, a => Assert.Equal(Math.Round(a * 20), a * 20, 6)));
        Assert.All(points, p => Assert.Equal(p.Accuracies.Average(), p.Mean, 9));
        // a random, seeded split: two disjoint halves of the ten classes, reported
        var a = json.RootElement.GetProperty("half_a").EnumerateArray().Select(e => e.GetString()!).ToList();
        var b = json.RootElement.GetProperty("half_b").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(5, a.Count);
        Assert.Equal(10, a.Union(b).Count());
        Assert.NotEqual(["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat"], a);
        Assert.Contains("random split", json.RootElement.GetProperty("split").GetString());
        var figure = File.ReadAllText(Path.Combine(temp.Path, "transferability.html"));
        Assert.Contains("Plotly.newPlot(", figure);
        Assert.Contains("AnB+", figure);
    }

    [Fact]
    public void The_split_is_random_per_seed_fixed_by_split_seed_or_the_first_half_on_request()
    {
        var perSeed = new NotebookKit.Experiments.TransferSplit();
        Assert.NotEqual(perSeed.For(10, 0).A, perSeed.For(10, 1).A);
        Assert.Equal(perSeed.For(10, 3).A, perSeed.For(10, 3).A);                          // seeded: repeatable
        var fixedSplit = new NotebookKit.Experiments.TransferSplit(Seed: 5);
        Assert.Equal(fixedSplit.For(10, 0).A, fixedSplit.For(10, 1).A);
        var halves = new NotebookKit.Experiments.TransferSplit(Random: false);
        Assert.Equal([0, 1, 2, 3, 4], halves.For(10, 7).A);
        Assert.Contains("deliberately dissimilar", halves.Description);
        Assert.All(Enumerable.Range(0, 20), s => Assert.Equal(Enumerable.Range(0, 10), perSeed.For(10, s).A.Concat(perSeed.For(10, s).B).Order()));
    }
}
