using System.Reflection;
using System.Text.RegularExpressions;
using NotebookKit.Models;
using NotebookKit.Tests.Support;
using TorchSharp;

namespace NotebookKit.Tests.Training;

/// <summary>
/// Checks, on a machine without a GPU, that a CPU batch can never meet a CUDA model (issue 14, section 1): code that feeds
/// a model takes the device from the model. The transferability abort on CUDA came from
/// <c>Trainer.Evaluate(model, loader, topK, Device? device = null)</c> called without a device; both tests fail on that code.
/// </summary>
public class DeviceFollowsTheModelTests
{
    [Fact]
    public void No_public_api_takes_a_device_next_to_a_model()
    {
        var offenders = typeof(ResNetModel).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Cast<MethodBase>()
                .Concat(t.GetConstructors()))
            .Where(m =>
            {
                var types = m.GetParameters().Select(p => p.ParameterType).ToList();
                bool model = types.Any(p => typeof(torch.nn.Module).IsAssignableFrom(p)) || (m.DeclaringType is { } d && typeof(torch.nn.Module).IsAssignableFrom(d) && !m.IsStatic);
                return model && types.Any(p => p == typeof(torch.Device));
            })
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => $"{p.ParameterType.Name} {p.Name}"))})")
            .Where(name => !name.StartsWith("ResNetModel._to(", StringComparison.Ordinal)) // TorchSharp's own Module.to plumbing: placing the model
            .ToList();

        Assert.True(offenders.Count == 0,
            "These take a device and a model separately, so a caller can pass one that is not the model's; take it from the model (model.Device) instead:\n"
            + string.Join("\n", offenders));
    }

    /// <summary>
    /// Every <c>.to(device)</c> in the library either places a model (<c>model.to(...)</c>), converts a type, or moves inputs to
    /// a device that comes from a model (<c>x.Device</c> / <c>x.parameters().First().device</c> where x is a model).
    /// The loader's own copy to its configured device is the one exception: the step then moves the batch to the model's device.
    /// </summary>
    [Fact]
    public void Every_move_to_a_device_in_the_library_takes_the_device_from_a_model()
    {
        var root = Path.Combine(Fixtures.RepositoryRoot, "src");
        string[] exempt = [Path.Combine("NotebookKit", "Data", "BatchMemory.cs")];
        // A model's device, or the device of one of its parameters (optimizer state goes where its parameter is).
        var fromModel = new Regex(@"^(\w*[Mm]odel\w*\.(Device|parameters\(\)\.First\(\)\.device)|\w*[Pp]arameter\w*\.device)$");
        var dtype = new Regex(@"^(ScalarType\.\w+|float16|float32|float64|bfloat16|int32|int64|uint8|int8|@bool|\w+\.dtype)$");
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file);
            if (relative.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || relative.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") || exempt.Contains(relative))
                continue;
            var text = File.ReadAllText(file);
            // Locals that hold a model's device, e.g. `var device = model.Device;`.
            var deviceLocals = Regex.Matches(text, @"var\s+(\w+)\s*=\s*(\w*[Mm]odel\w*\.(?:Device|parameters\(\)\.First\(\)\.device))\s*;")
                .Select(m => m.Groups[1].Value).ToHashSet();
            foreach (Match call in Regex.Matches(text, @"(\w+)?(\)|\])?\.to\(\s*([^,)]+)"))
            {
                string receiver = call.Groups[1].Value, argument = call.Groups[3].Value.Trim();
                if (call.Groups[2].Success is false && Regex.IsMatch(receiver, @"^\w*[Mm]odel\w*$")) continue; // places the model itself
                if (dtype.IsMatch(argument) || fromModel.IsMatch(argument) || deviceLocals.Contains(argument)) continue;
                int line = text.AsSpan(0, call.Index).Count('\n') + 1;
                offenders.Add($"{relative}:{line}: .to({argument})");
            }
        }

        Assert.True(offenders.Count == 0,
            "Inputs moved to a device that does not come from the model they feed (use model.Device, or `var device = model.Device;`):\n"
            + string.Join("\n", offenders));
    }
}
