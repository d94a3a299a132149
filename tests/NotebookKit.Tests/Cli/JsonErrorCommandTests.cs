using System.Text.Json;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Cli;

/// <summary>
/// With <c>--json</c>, every failure prints exactly one JSON object on standard output, <c>{"error": ..., "exit_code": ...}</c>
/// (the same message and code as standard error's line), whichever command and whatever failed: an argument, the input,
/// the weights, or writing the results. Without <c>--json</c> standard output stays empty.
/// </summary>
public class JsonErrorCommandTests : IDisposable
{
    readonly TempDir home = new(), temp = new();
    public void Dispose()
    {
        home.Dispose();
        temp.Dispose();
    }

    ProcessResult Nbkit(params string[] arguments) => BuildOutputs.RunCliIn(home.Path, arguments, TimeSpan.FromMinutes(3));

    public static TheoryData<string, int, string> ArgumentFailures => new()
    {
        // command line (| separates arguments), exit code, part of the message
        { "compare|--bogus|--json", 2, "'--bogus'" },                                   // unknown option
        { "study|--json|--frobnicate|3", 2, "'--frobnicate'" },
        { "train|--epochs|abc|--json", 2, "--epochs abc" },                             // bad number
        { "transferability|--lr|x|--json", 2, "--lr x" },
        { "compare|--seeds|0|--json", 2, "--seeds 0" },                                 // out of range
        { "compare|--json|--out", 2, "--out" },                                        // missing value
        { "train|--json|--strategy", 2, "--strategy" },
        { "data|inspect|--json|a|b", 2, "'b'" },                                        // an argument too many
        { "export|--format|tflite|--json", 2, "--checkpoint" },                         // required options missing
        { "nosuch|--json", 2, "'nosuch'" },                                            // unknown command
        { "data|--json", 2, "Required command" },                                       // a group without its command
        { "study|--sizes|x|--json", 2, "--sizes x" },                                   // checked by the command itself
        { "transferability|--split|nope|--json", 2, "--split nope" },
        { "compare|--strategies|bogus|--json", 2, "bogus" },
        { "data|fetch|nope|--json", 2, "Unknown dataset 'nope'" },
        { "data|inspect|/no/such/folder|--json", 2, "not found" },
        { "compare|--data|/no/such/folder|--json", 2, "not found" },
        { "predict|--json|--weights|/no/such.pth|x.jpg", 2, "/no/such.pth" },
    };

    [Theory]
    [MemberData(nameof(ArgumentFailures))]
    public void A_failure_with_json_prints_one_json_error_object(string commandLine, int code, string expected)
    {
        var result = Nbkit(commandLine.Split('|'));

        Assert.True(result.ExitCode == code, result.Tail());
        Assert.Contains(expected, JsonErrors.AssertOne(result));
        Assert.DoesNotContain("Usage:", result.StandardOutput); // no help text mixed in
    }

    [Theory]
    [InlineData("compare|--bogus")]
    [InlineData("train|--epochs|abc")]
    [InlineData("weights|import|/no/such.pth")]
    public void Without_json_standard_output_stays_empty(string commandLine)
    {
        var result = Nbkit(commandLine.Split('|'));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.StartsWith("nbkit: ", result.StandardError);
    }

    [Theory]
    [InlineData("weights.txt", "unknown weights format '.txt'")]          // an unknown format
    [InlineData("weights.bin", "not a readable .bin weights file")]      // a known extension, not a weights file
    [InlineData("weights.safetensors", "weights.safetensors")]           // not safetensors inside
    public void Weights_import_of_a_file_it_cannot_read_prints_the_json_error(string name, string expected)
    {
        var file = Path.Combine(temp.Path, name);
        File.WriteAllBytes(file, [.. Enumerable.Range(0, 3000).Select(i => (byte)(i * 7))]);

        var result = Nbkit("weights", "import", file, "--arch", "resnet18", "--json");

        Assert.True(result.ExitCode == 2, result.Tail());
        Assert.Contains(expected, JsonErrors.AssertOne(result));
        Assert.Empty(Directory.Exists(Path.Combine(home.Path, "weights")) ? Directory.GetFiles(Path.Combine(home.Path, "weights"), "*.safetensors") : []);
    }

    [Fact]
    public void Results_that_cannot_be_written_after_compare_trained_print_the_json_error()
    {
        // As on a full disk: the training succeeds, writing results.json fails. results.json is a non-empty folder here,
        // so the report's atomic replacement fails after the run (the claim's write test, which comes first, passes).
        var folder = Path.Combine(temp.Path, "compare");
        Directory.CreateDirectory(Path.Combine(folder, "results.json", "in-the-way"));

        var result = Nbkit("compare", "--strategies", "scratch", "--seeds", "1", "--weights", "random", "--train-per-class", "3", "--val-per-class", "2",
            "--epochs", "1", "--image-size", "32", "--out", folder, "--json");

        Assert.True(result.ExitCode == 1, result.Tail());
        Assert.Contains("results.json", JsonErrors.AssertOne(result));
        Assert.DoesNotContain("bug in nbkit", result.StandardError);
        Assert.Single(File.ReadAllLines(Path.Combine(folder, "runs.jsonl"))); // the finished run is kept: --resume can write the report
    }

    [Fact]
    public void The_json_error_is_escaped_json_whatever_the_message_holds()
    {
        var odd = Path.Combine(temp.Path, "a \"quoted\" \\ name\twith\ttabs");

        var result = Nbkit("data", "inspect", odd, "--json");

        Assert.Contains(odd, JsonErrors.AssertOne(result));
    }
}
