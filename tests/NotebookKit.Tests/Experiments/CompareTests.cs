using System.Text.Json;
using NotebookKit.Experiments;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Experiments;

public class CompareTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    [Fact]
    public void Smoke_compare_prints_json_writes_results_and_a_report_and_pretrained_beats_scratch()
    {
        var result = BuildOutputs.RunCli("compare", "--preset", "smoke", "--out", temp.Path, "--json");

        Assert.True(result.ExitCode == 0, result.Tail());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.Equal("fashion-mnist-small", root.GetProperty("dataset").GetString());
        Assert.Equal("resnet18", root.GetProperty("arch").GetString());
        Assert.Equal("mlnet-imagenet", root.GetProperty("weights").GetString());
        var strategies = root.GetProperty("strategies").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(["scratch", "frozen", "finetune"], strategies.Keys);
        foreach (var s in strategies.Values)
        {
            double accuracy = s.GetProperty("val_acc").GetDouble();
            Assert.Equal(Math.Round(accuracy * 100), accuracy * 100, 6); // k of the 100 validation images (10 per class)
            Assert.Equal(s.GetProperty("runs").EnumerateArray().Average(r => r.GetProperty("val_acc").GetDouble()), accuracy, 9);
            Assert.True(s.GetProperty("best_val_acc").GetDouble() >= s.GetProperty("val_acc").GetDouble() - 1e-9);
            Assert.True(s.GetProperty("seconds").GetDouble() > 0);
            Assert.Equal(3, s.GetProperty("history").GetArrayLength());
        }
        Assert.Equal(5_130, strategies["frozen"].GetProperty("trainable_params").GetInt64()); // 512 x 10 + 10: only the head
        double bestPretrained = Math.Max(strategies["frozen"].GetProperty("val_acc").GetDouble(), strategies["finetune"].GetProperty("val_acc").GetDouble());
        Assert.True(bestPretrained > strategies["scratch"].GetProperty("val_acc").GetDouble() + 0.1,
            $"pretrained {bestPretrained:P1} vs scratch {strategies["scratch"].GetProperty("val_acc").GetDouble():P1}");
        var verdict = root.GetProperty("verdict").GetString()!;
        Assert.StartsWith("On this data", verdict);
        Assert.Contains("(95% CI [", verdict); // never a margin without its interval
        double ratio = strategies["finetune"].GetProperty("seconds").GetDouble() / strategies["frozen"].GetProperty("seconds").GetDouble();
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"fine-tuning took {ratio:0.#} times as long as feature extraction"), verdict);
        Assert.Contains("Smoke test", root.GetProperty("caveat").GetString());
        // the JSON shape of issue 12: intervals, seeds, per-seed values and the paired comparisons
        foreach (var s in strategies.Values)
        {
            var ci = s.GetProperty("val_acc_ci").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.True(ci[0] <= s.GetProperty("val_acc").GetDouble() && s.GetProperty("val_acc").GetDouble() <= ci[1]);
            Assert.Equal("wilson", s.GetProperty("interval").GetString());
            Assert.Equal([0], s.GetProperty("seeds").EnumerateArray().Select(v => v.GetInt32()));
            Assert.Single(s.GetProperty("per_seed").EnumerateArray());
        }
        var comparisons = root.GetProperty("comparisons").EnumerateArray().ToList();
        Assert.Equal([("finetune", "frozen"), ("frozen", "scratch"), ("finetune", "scratch")],
            comparisons.Select(c => (c.GetProperty("a").GetString(), c.GetProperty("b").GetString())));
        Assert.All(comparisons, c =>
        {
            Assert.Equal("exact McNemar", c.GetProperty("test").GetString());
            Assert.InRange(c.GetProperty("p_value").GetDouble(), 0, 1);
            Assert.Equal(2, c.GetProperty("ci").GetArrayLength());
        });

        Assert.True(File.Exists(Path.Combine(temp.Path, "results.json")));
        var report = File.ReadAllText(Path.Combine(temp.Path, "report.html"));
        Assert.Equal(1, CountOf(report, "if (typeof window.Plotly === 'undefined')")); // plotly.js once, inlined
        Assert.Equal(4, CountOf(report, "Plotly.newPlot('nbkit-chart-"));            // curves, bars, cost, confusion
        Assert.Contains("data:image/png;base64,", report);                             // the wrong examples
        Assert.DoesNotContain("<script src=", report);
    }

    [Fact]
    public void Strategy_names_parse_and_bad_ones_list_the_valid_ones()
    {
        Assert.Equal(["scratch", "frozen", "finetune", "full", "partial:2"], Strategy.ParseList("scratch, frozen,finetune,full,partial:2").Select(s => s.Name));
        var e = Assert.Throws<ArgumentException>(() => Strategy.Parse("partial:9"));
        Assert.Contains("partial:N", e.Message);
    }

    static int CountOf(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;
}
