using ExecutionLoops.Agents;
using ExecutionLoops.Briefs;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Isolation;
using ExecutionLoops.Processes;

namespace ExecutionLoops.Execution.Stages;

/// <summary>One mission in one run: what its stages share, and the journal that records them.</summary>
internal sealed class MissionContext
{
    public MissionContext(RunContext run, MissionBrief brief, MissionProgress progress, IMissionLog log, TimeSpan timeout)
    {
        Run = run;
        Brief = brief;
        Progress = progress;
        Log = log;
        Timeout = timeout;
        Journal = new MissionJournal(this);
    }

    /// <summary>What every mission of the run shares.</summary>
    public RunContext Run { get; }

    /// <summary>The mission.</summary>
    public MissionBrief Brief { get; }

    /// <summary>How far it got, replayed from the journal and kept up to date by <see cref="Journal"/>.</summary>
    public MissionProgress Progress { get; }

    /// <summary>The mission's log.</summary>
    public IMissionLog Log { get; }

    /// <summary>How long the whole mission may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Journals the mission's stages and applies them to <see cref="Progress"/>.</summary>
    public MissionJournal Journal { get; }

    /// <summary>The agent settings, for kinds that run agent-written code once <see cref="IsolateAsync"/> ran; else null.</summary>
    public AgentSettings? Agent { get; private set; }

    /// <summary>The separate clone and OS sandbox agent-written code runs in, once <see cref="IsolateAsync"/> ran; else null.</summary>
    public MissionSandbox? Sandbox { get; private set; }

    /// <summary>Where the mission works: a worktree, or the clone of an agent kind.</summary>
    public string Worktree => Run.Workspace.State.WorktreeFor(Brief.Id);

    /// <summary>The branch the change is committed on.</summary>
    public string Branch => $"loops/{Brief.Id}";

    /// <summary>The mission's log file.</summary>
    public string LogPath => LogPathFor(Run, Brief);

    /// <summary>Starts the toil's processes: inside the agent's sandbox for agent kinds.</summary>
    public ProcessRunner ToilProcesses => Sandbox?.AgentProcesses ?? Run.Processes;

    /// <summary>Starts the gates' processes: inside the gates' sandbox (their own scratch folder) for agent kinds.</summary>
    public ProcessRunner GateProcesses => Sandbox?.GateProcesses ?? Run.Processes;

    /// <summary>How many attempts the mission gets: agent kinds correct themselves after failed required gates.</summary>
    public int MaxAttempts => Agent?.MaxAttempts ?? 1;

    /// <summary>True when the kind runs agent-written code: isolated, with the gates that always run on it, retried on failed gates.</summary>
    public bool RunsAgentCode => Run.Registry.FindToil(Brief.Kind)?.RunsAgentCode == true;

    /// <summary>The log file of <paramref name="brief"/> in <paramref name="run"/>.</summary>
    public static string LogPathFor(RunContext run, MissionBrief brief) => Path.Combine(run.Workspace.State.Runs, run.RunId, $"{brief.Id}.log");

    /// <summary>
    /// For kinds that run agent-written code: resolves the agent settings and opens the sandbox (a separate clone, never
    /// a worktree of the user's repository). Runs once per run of the mission, a resumed one included.
    /// </summary>
    public async Task IsolateAsync(CancellationToken cancellationToken)
    {
        if (!RunsAgentCode)
        {
            return;
        }

        Agent = AgentSettings.Resolve(Run.Workspace.Config.Agent, Brief.Agent).Settings;
        Sandbox = await MissionSandbox.OpenAsync(Worktree, Agent.Sandbox, Agent.SandboxImage, Run.Workspace.Git, Run.Workspace.State.Root, Run.Processes, cancellationToken);
        Log.Write($"sandbox: {Sandbox.Describe()}");
    }
}
