namespace ExecutionLoops.Isolation;

/// <summary>
/// The solution a gate host builds while the agent works, so that the gates meet warm build servers. Two projects, so
/// the build starts a worker node besides its own (one project builds in-process).
/// <para>
/// For the host that builds, the projects also hold many copies of a file that uses the language broadly: a fresh
/// compiler server compiles each method the first time it is called, and two one-line files call few of the
/// binder's and emitter's paths. Measured on the demo plus 20 libraries (2 cores), the first build after the warm-up
/// and 20 s of idleness, with the host's settings (<see cref="GateHost"/>): 1.8–2.4 s in the compiler after this
/// warm-up, 2.4–3.2 s after the one-line files alone, 1.6–1.9 s on a server that had built the solution itself
/// before. The warm-up takes about 2 s longer, while the agent works.
/// </para>
/// </summary>
internal static class WarmUpSolution
{
    /// <summary>The solution's file name, relative to the folder it is written to.</summary>
    public const string FileName = "warmup.slnx";

    // 20 copies per project left the first build's compiler time a few tenths of a second higher; 40 added a second.
    private const int CopiesPerProject = 30;

    /// <summary>Writes the solution into <paramref name="folder"/>; <paramref name="exerciseCompiler"/> adds the broad copies.</summary>
    public static void Write(string folder, bool exerciseCompiler)
    {
        File.WriteAllText(Path.Combine(folder, FileName), "<Solution>\n  <Project Path=\"one/one.csproj\" />\n  <Project Path=\"two/two.csproj\" />\n</Solution>\n");
        foreach (var project in new[] { "one", "two" })
        {
            var projectFolder = Path.Combine(folder, project);
            Directory.CreateDirectory(projectFolder);
            File.WriteAllText(Path.Combine(projectFolder, project + ".csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(projectFolder, "Warmup.cs"), $"namespace Warmup.{project};\n\npublic static class Ready\n{{\n    public static string Say(int n) => $\"{{n}} {{DateTime.Now:O}}\";\n}}\n");
            var copies = exerciseCompiler ? CopiesPerProject : 0;
            for (var copy = 1; copy <= copies; copy++)
            {
                File.WriteAllText(Path.Combine(projectFolder, $"Broad{copy}.cs"), $"namespace Warmup.{project}.Copy{copy};\n" + BroadCode);
            }
        }
    }

    // Records, primary constructors, inheritance, operators, generics with constraints, iterators, async, LINQ in both
    // syntaxes, pattern matching, exception filters, collection expressions, local functions, events, tuples.
    private const string BroadCode = """

        public enum Kind { None, Small, Large }

        public interface IShape
        {
            double Area { get; }

            string Describe();
        }

        public sealed record Point(int X, int Y)
        {
            public Point Move(int dx, int dy) => this with { X = X + dx, Y = Y + dy };
        }

        public abstract class Shape : IShape
        {
            public abstract double Area { get; }

            public virtual string Describe() => $"{GetType().Name} of area {Area:F2}";
        }

        public sealed class Circle(double radius) : Shape
        {
            public double Radius { get; init; } = radius;

            public override double Area => Math.PI * Radius * Radius;
        }

        public sealed class Square : Shape
        {
            public double Side { get; set; }

            public override double Area => Side * Side;

            public static Square operator +(Square a, Square b) => new() { Side = a.Side + b.Side };
        }

        public struct Range2(int from, int to)
        {
            public readonly int Length => to - from;

            public readonly bool Contains(int value) => value >= from && value < to;
        }

        public static class Shapes
        {
            public static event EventHandler<string>? Measured;

            public static Kind Classify(this IShape shape) => shape.Area switch
            {
                0 => Kind.None,
                < 10 => Kind.Small,
                _ => Kind.Large,
            };

            public static IEnumerable<T> Largest<T>(IEnumerable<T> items, int count)
                where T : IShape
            {
                foreach (var item in items.OrderByDescending(i => i.Area).Take(count))
                {
                    yield return item;
                }
            }

            public static async Task<double> TotalAsync(IReadOnlyList<IShape> shapes, CancellationToken cancellationToken = default)
            {
                double total = 0;
                foreach (var shape in shapes)
                {
                    await Task.Yield();
                    cancellationToken.ThrowIfCancellationRequested();
                    total += shape.Area;
                }

                Measured?.Invoke(null, $"{shapes.Count} shapes");
                return total;
            }

            public static string Report(IEnumerable<IShape> shapes)
            {
                var groups = from s in shapes
                             group s by s.Classify() into g
                             orderby g.Key
                             select (Kind: g.Key, Count: g.Count(), Names: string.Join(", ", g.Select(x => x.Describe())));
                var lines = new List<string>();
                foreach (var (kind, count, names) in groups)
                {
                    lines.Add($"{kind}: {count} ({names})");
                }

                return string.Join(Environment.NewLine, lines);
            }

            public static int Parse(string? text)
            {
                try
                {
                    return text is { Length: > 0 } value && int.TryParse(value, out var number) ? checked(number * 2) : -1;
                }
                catch (OverflowException ex) when (ex.Message.Length > 0)
                {
                    return -2;
                }
                finally
                {
                    Measured?.Invoke(null, text ?? "");
                }
            }

            public static Dictionary<string, int[]> Table() => new()
            {
                ["one"] = [1, 2, 3],
                ["two"] = [.. Enumerable.Range(0, 5).Where(i => i % 2 == 0)],
            };

            public static T? Find<T>(IList<T> items, Func<T, bool> match)
                where T : class
            {
                for (var i = 0; i < items.Count; i++)
                {
                    if (match(items[i]))
                    {
                        return items[i];
                    }
                }

                static T? None() => default;
                return None();
            }
        }
        """;
}
