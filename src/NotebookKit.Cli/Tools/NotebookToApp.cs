using System.Text;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NotebookKit.Cli.Tools;

/// <summary>
/// Turns a notebook into a .NET 10 file-based app that runs the same code: package references become a
/// <c>#:project</c> reference to the kit, <c>using</c> directives move to the top, and each cell's trailing
/// expression (what the notebook displays) goes through <c>AppOutput.Show</c>. Markdown becomes comments.
/// </summary>
static class NotebookToApp
{
    public static string Convert(string notebookPath, string projectReference)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(notebookPath))!.AsObject();
        var usings = new SortedSet<string>(StringComparer.Ordinal);
        var body = new StringBuilder();
        int cellNumber = 0;
        foreach (var cell in notebook["cells"]!.AsArray().OfType<JsonObject>())
        {
            var source = string.Concat((cell["source"] as JsonArray ?? []).Select(l => (string?)l));
            if ((string?)cell["cell_type"] == "markdown")
            {
                foreach (var line in source.Split('\n')) body.AppendLine(("// " + line).TrimEnd());
                continue;
            }
            cellNumber++;
            var code = string.Join('\n', source.Split('\n').Where(l => !l.TrimStart().StartsWith("#r ", StringComparison.Ordinal) && !l.TrimStart().StartsWith("#i ", StringComparison.Ordinal)));
            var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Preview, kind: SourceCodeKind.Script));
            var root = (CompilationUnitSyntax)tree.GetRoot();
            foreach (var u in root.Usings) usings.Add(u.ToString().Trim());
            var members = root.Members.ToList();
            for (int i = 0; i < members.Count; i++)
            {
                var member = members[i];
                bool last = i == members.Count - 1;
                if (last && member is GlobalStatementSyntax { Statement: ExpressionStatementSyntax expression } && expression.SemicolonToken.IsMissing)
                    body.AppendLine($"AppOutput.Show({expression.Expression.ToFullString().Trim()}, \"{Path.GetFileNameWithoutExtension(notebookPath)}-cell{cellNumber}\");");
                else
                    body.AppendLine(member.ToFullString().TrimEnd());
            }
            body.AppendLine();
        }
        usings.Add("using NotebookKit.Charts;");
        var header = new StringBuilder();
        header.AppendLine($"// Generated from notebooks/{Path.GetFileName(notebookPath)} by `nbkit dev notebooks-to-apps`; do not edit.");
        header.AppendLine($"// Run: dotnet run notebooks/apps/{Path.GetFileNameWithoutExtension(notebookPath)}.cs   (NBKIT_SMOKE=1 for a quick run)");
        header.AppendLine($"#:project {projectReference}");
        header.AppendLine("#:property JsonSerializerIsReflectionEnabledByDefault=true");
        header.AppendLine("#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053");
        header.AppendLine();
        foreach (var u in usings) header.AppendLine(u);
        header.AppendLine();
        header.AppendLine("// Training prints a line per epoch here (in a notebook it is a live chart).");
        header.AppendLine("NotebookKit.Training.LiveTraining.UseConsole();");
        header.AppendLine();
        return header.ToString() + body.ToString().TrimEnd() + "\n";
    }
}
