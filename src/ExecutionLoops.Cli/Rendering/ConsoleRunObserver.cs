using ExecutionLoops.Execution;
using ExecutionLoops.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ExecutionLoops.Cli.Rendering;

/// <summary>
/// Shows a delegation run as it happens: a live table (one row per mission, its current stage and
/// elapsed time) in a terminal, plain timestamped lines elsewhere (CI logs). Writes to stderr.
/// </summary>
/// <param name="context">The console.</param>
/// <param name="clock">Times the stages and missions: the engine's clock.</param>
internal sealed class ConsoleRunObserver(CliContext context, TimeProvider clock) : IRunObserver
{
    private readonly TimeProvider _clock = clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MissionRow> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IDisposable> _groups = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="work"/> under the live display (or directly when not interactive).</summary>
    public async Task<T> ShowAsync<T>(Func<Task<T>> work)
    {
        if (!context.Interactive)
        {
            return await work();
        }

        T result = default!;
        await context.Err.Live(Render()).AutoClear(false).StartAsync(async live =>
        {
            var task = work();
            while (!task.IsCompleted)
            {
                live.UpdateTarget(Render());
                await Task.WhenAny(task, Task.Delay(200));
            }

            live.UpdateTarget(Render());
            result = await task;
        });
        return result;
    }

    public void StageStarted(string missionId, MissionStage stage)
    {
        lock (_gate)
        {
            // One collapsible log group per mission on CI hosts.
            if (!_groups.ContainsKey(missionId))
            {
                _groups[missionId] = context.Host.Group($"mission {missionId}");
            }

            var row = Row(missionId);
            row.Stage = stage;
            row.StageStarted = _clock.GetTimestamp();
            row.Status = "running";
        }

        Plain($"[{missionId}] {Name(stage)} …");
    }

    public void StageFinished(string missionId, MissionStage stage, bool succeeded, string detail)
    {
        TimeSpan elapsed;
        lock (_gate)
        {
            var row = Row(missionId);
            elapsed = _clock.GetElapsedTime(row.StageStarted);
            row.Status = succeeded ? "ok" : "failed";
            row.Detail = detail;
        }

        Plain($"[{missionId}] {Name(stage)} {(succeeded ? "✓" : "✗")} ({elapsed.TotalSeconds:0.0}s) {detail}");
    }

    public void MissionFinished(MissionReport report)
    {
        lock (_gate)
        {
            var row = Row(report.MissionId);
            row.Finished = report;
            row.MissionTook = _clock.GetElapsedTime(row.MissionStarted);
        }

        Plain($"[{report.MissionId}] {MarkdownReportWriter.Icon(report.Outcome)} {MarkdownReportWriter.Describe(report.Outcome)}: {report.Message}");
        lock (_gate)
        {
            if (_groups.Remove(report.MissionId, out var group))
            {
                group.Dispose();
            }
        }

        foreach (var diagnostic in report.Diagnostics)
        {
            context.Host.Annotate(diagnostic);
        }
    }

    private MissionRow Row(string missionId)
    {
        if (!_rows.TryGetValue(missionId, out var row))
        {
            row = new MissionRow { MissionStarted = _clock.GetTimestamp() };
            _rows[missionId] = row;
        }

        return row;
    }

    private void Plain(string line)
    {
        if (!context.Interactive)
        {
            lock (_gate)
            {
                context.Error.WriteLine(line);
            }
        }
    }

    private IRenderable Render()
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("mission", "stage", "", "elapsed", "detail");
        lock (_gate)
        {
            foreach (var (id, row) in _rows)
            {
                var state = row.Finished is { } done
                    ? done.Failed ? "[red]✗[/]" : "[green]✓[/]"
                    : row.Status == "failed" ? "[red]✗[/]" : "[yellow]…[/]";
                var stage = row.Finished is { } finished ? MarkdownReportWriter.Describe(finished.Outcome) : Name(row.Stage);
                var detail = row.Finished?.Message ?? row.Detail;
                table.AddRow(Markup.Escape(id), Markup.Escape(stage), state, $"{(row.MissionTook ?? _clock.GetElapsedTime(row.MissionStarted)).TotalSeconds:0}s", Markup.Escape(detail.Length > 70 ? detail[..67] + "…" : detail));
            }
        }

        return table;
    }

    private static string Name(MissionStage stage) => stage.ToString().ToLowerInvariant();

    private sealed class MissionRow
    {
        public MissionStage Stage { get; set; }

        public string Status { get; set; } = "";

        public string Detail { get; set; } = "";

        public MissionReport? Finished { get; set; }

        public long StageStarted { get; set; }

        public long MissionStarted { get; init; }

        public TimeSpan? MissionTook { get; set; }
    }
}
