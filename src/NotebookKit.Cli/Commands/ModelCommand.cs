using System.CommandLine;
using System.Globalization;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Runtime;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit model summary</c>: stages, shapes, parameters, frozen parts, FLOPs.</summary>
static class ModelCommand
{
    public static Command Create()
    {
        var options = new ModelOptions();
        var size = new Option<int>("--image-size") { Description = "Input side length for the shapes and FLOPs.", DefaultValueFactory = _ => 224 }.Within(Ranges.ImageSize);
        var json = CommonOptions.Json();
        var summary = new Command("summary", "Per module: type, output shape, parameters (trainable or frozen); per stage totals; a FLOPs estimate.") { size, json };
        options.AddTo(summary);
        summary.SetAction(parse =>
        {
            TorchRuntime.Require();
            var pretrained = options.Load(parse);
            CommonOptions.WarnIfPartial(pretrained.Report);
            var result = ModelSummary.Of(pretrained.Model, parse.GetValue(size));
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new
                {
                    architecture = result.Architecture,
                    weights = pretrained.WeightsName,
                    input_size = result.InputSize,
                    parameters = result.Parameters,
                    trainable = result.Trainable,
                    multiply_adds = result.MultiplyAdds,
                    preprocessing = pretrained.Preprocessing.ToString(),
                    partial_weights = NotebookKit.Reports.ResultsJson.PartialWeights(pretrained.Report),
                    stages = result.Stages.Select(s => new { name = s.Stage, parameters = s.Parameters, trainable = s.Trainable, frozen = s.Frozen }),
                    modules = result.Rows.Select(r => new { name = r.Name, stage = r.Stage, type = r.Type, output_shape = r.OutputShape, parameters = r.Parameters, trainable = r.Trainable, frozen = r.Frozen }),
                });
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded).Title($"{Term.Escape(result.ToString())}")
                .AddColumn("module").AddColumn("stage").AddColumn("type").AddColumn("output").AddColumn(new TableColumn("params").RightAligned()).AddColumn(new TableColumn("trainable").RightAligned());
            foreach (var r in result.Rows)
            {
                string Style(string s) => r.Frozen ? $"[grey]{Term.Escape(s)}[/]" : Term.Escape(s);
                table.AddRow(Style(r.Name), Style(r.Stage), Style(r.Type), Style($"[{string.Join(", ", r.OutputShape)}]"), Style(r.Parameters.ToString("N0", CultureInfo.InvariantCulture)), Style(r.Frozen ? "frozen" : r.Trainable.ToString("N0", CultureInfo.InvariantCulture)));
            }
            AnsiConsole.Write(table);
            var stages = new Table().Border(TableBorder.Rounded).AddColumn("stage").AddColumn(new TableColumn("params").RightAligned()).AddColumn(new TableColumn("trainable").RightAligned());
            foreach (var s in result.Stages) stages.AddRow(Term.Escape(s.Stage), s.Parameters.ToString("N0", CultureInfo.InvariantCulture), s.Frozen ? "[grey]frozen[/]" : s.Trainable.ToString("N0", CultureInfo.InvariantCulture));
            AnsiConsole.Write(stages);
            AnsiConsole.MarkupLine($"weights: {Term.Escape(pretrained.WeightsName)}; preprocessing: {Term.Escape(pretrained.Preprocessing.ToString())}");
            return 0;
        });
        return new Command("model", "Inspect models.") { summary };
    }
}
