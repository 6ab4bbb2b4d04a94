namespace ExecutionLoops.Diagnostics;

/// <summary>
/// Every EL code in one place. Ranges: EL1xxx briefs and config, EL2xxx workspace and git,
/// EL3xxx gates, EL4xxx review targets, EL5xxx agents, EL6xxx pair sessions and MSBuild.
/// docs/diagnostics.md lists them for users; keep the two in agreement.
/// </summary>
public static class DiagnosticCodes
{
    // EL1xxx: briefs and config
    /// <summary>The brief has no YAML front matter.</summary>
    public const string NoFrontMatter = "EL1001";
    /// <summary>The front matter is opened but never closed, or is not a mapping.</summary>
    public const string BrokenFrontMatter = "EL1002";
    /// <summary>YAML syntax error.</summary>
    public const string YamlSyntax = "EL1003";
    /// <summary>Unknown key.</summary>
    public const string UnknownKey = "EL1004";
    /// <summary>A value has the wrong type.</summary>
    public const string WrongType = "EL1005";
    /// <summary>The mission id is invalid.</summary>
    public const string InvalidId = "EL1006";
    /// <summary>Two briefs share an id.</summary>
    public const string DuplicateId = "EL1007";
    /// <summary>The cron expression does not parse.</summary>
    public const string InvalidCron = "EL1008";
    /// <summary>Unknown toil kind.</summary>
    public const string UnknownKind = "EL1009";
    /// <summary>Unknown gate.</summary>
    public const string UnknownGate = "EL1010";
    /// <summary>A scope glob escapes the repository.</summary>
    public const string ScopeEscapesRepo = "EL1011";
    /// <summary>A duration (timeout, time box) does not parse.</summary>
    public const string InvalidDuration = "EL1012";
    /// <summary>A required value is missing.</summary>
    public const string MissingValue = "EL1013";
    /// <summary>A value is outside the allowed set or range.</summary>
    public const string InvalidValue = "EL1014";
    /// <summary>YAML aliases expand the file past the size limit.</summary>
    public const string YamlTooLarge = "EL1015";
    /// <summary>Delegated mission without success criteria (seed anti-pattern: async delegation without clear specs).</summary>
    public const string NoSuccessCriteria = "EL1020";
    /// <summary>Delegated mission without constraints (seed anti-pattern: async delegation without clear specs).</summary>
    public const string NoConstraints = "EL1021";
    /// <summary>Delegated mission without gates (seed anti-pattern: missing quality gates).</summary>
    public const string NoGates = "EL1022";
    /// <summary>Pair brief for routine toil (seed anti-pattern: using sync mode for routine tasks).</summary>
    public const string PairForRoutineToil = "EL1023";
    /// <summary>No brief matched.</summary>
    public const string NoBriefs = "EL1030";
    /// <summary>A mission named on the command line does not exist.</summary>
    public const string UnknownMission = "EL1031";
    /// <summary>A file to scaffold already exists.</summary>
    public const string AlreadyExists = "EL1032";
    /// <summary>A command-line argument is invalid.</summary>
    public const string InvalidArgument = "EL1033";

    // EL1050–EL1059: the Cake addin (Cake.ExecutionLoops raises them itself; it does not reference Core, so its
    // AddinCodes repeats them)
    /// <summary>The Cake addin found no <c>loops</c> program to run, or could not start it.</summary>
    public const string CakeToolNotFound = "EL1050";
    /// <summary><c>loops</c> answered the Cake addin with something other than the JSON it reads.</summary>
    public const string CakeUnreadableAnswer = "EL1051";
    /// <summary>A mission of a run the Cake addin started failed its toil or a required gate.</summary>
    public const string CakeMissionFailed = "EL1052";
    /// <summary>A required setting of a Cake alias is missing.</summary>
    public const string CakeMissingSetting = "EL1053";
    /// <summary><c>loops</c> did not finish within the Cake settings' ToolTimeout.</summary>
    public const string CakeTimedOut = "EL1054";

    // EL1060–EL1064: monitoring commands (insights, dashboard)
    /// <summary><c>--since</c> is not a duration or a date.</summary>
    public const string InvalidSince = "EL1060";
    /// <summary><c>--mission</c> names a mission that has neither a brief nor a recorded run.</summary>
    public const string UnknownInsightsMission = "EL1061";
    /// <summary>The dashboard's output folder is a file or cannot be written.</summary>
    public const string DashboardOutputInvalid = "EL1062";

    // EL1065–EL1069: notifications and the mission dashboard in the config and briefs
    /// <summary>A webhook URL or key written in the repository instead of named through an environment variable.</summary>
    public const string NotifySecretInRepository = "EL1065";
    /// <summary>A notification channel names an environment variable that is not a valid, secret-shaped name.</summary>
    public const string NotifyVariableName = "EL1066";
    /// <summary>Notifications are asked for on events but no channel is configured.</summary>
    public const string NotifyNoChannel = "EL1067";

    // EL2xxx: workspace and git
    /// <summary>Not inside a git repository.</summary>
    public const string NotAGitRepo = "EL2001";
    /// <summary>The repository has no commits.</summary>
    public const string NoCommits = "EL2002";
    /// <summary>The base branch does not exist.</summary>
    public const string BaseBranchMissing = "EL2003";
    /// <summary>A git command failed.</summary>
    public const string GitFailed = "EL2004";
    /// <summary>git is not installed.</summary>
    public const string GitMissing = "EL2005";
    /// <summary>Another run holds the run lock.</summary>
    public const string RunLocked = "EL2010";
    /// <summary>The state directory cannot be written.</summary>
    public const string StateUnwritable = "EL2011";
    /// <summary>The journal is unreadable.</summary>
    public const string JournalCorrupt = "EL2012";
    /// <summary>A required tool (dotnet, a command) is not on PATH.</summary>
    public const string ToolMissing = "EL2020";
    /// <summary>A toil command timed out and its process tree was killed.</summary>
    public const string ToilTimedOut = "EL2021";
    /// <summary>A toil command failed.</summary>
    public const string ToilFailed = "EL2022";
    /// <summary>Approving would conflict with the base branch.</summary>
    public const string MergeConflict = "EL2030";
    /// <summary>Approving would overwrite uncommitted changes.</summary>
    public const string DirtyWorkingTree = "EL2031";
    /// <summary>The review item does not exist.</summary>
    public const string ReviewItemNotFound = "EL2032";
    /// <summary>The review item is not open.</summary>
    public const string ReviewItemClosed = "EL2033";
    /// <summary>Approving a draft whose gates failed needs --force.</summary>
    public const string ApproveFailedDraft = "EL2034";

    /// <summary>A mission stopped on an unexpected error (the run goes on).</summary>
    public const string MissionCrashed = "EL2040";
    /// <summary>An interrupted run's journal was written in a format this version does not resume.</summary>
    public const string JournalFormatUnsupported = "EL2041";

    // EL2050–EL2059: run history
    /// <summary>The run history was damaged and is rebuilt from the journals (a warning).</summary>
    public const string HistoryRebuilt = "EL2050";
    /// <summary>A run journal could not be read into the history; that run is left out (a warning).</summary>
    public const string HistoryJournalSkipped = "EL2051";
    /// <summary><c>loops dashboard --open</c> could not start a browser (a warning; the page is written).</summary>
    public const string BrowserNotOpened = "EL2052";

    // EL3xxx: gates
    /// <summary>The build failed.</summary>
    public const string BuildFailed = "EL3001";
    /// <summary>Tests failed.</summary>
    public const string TestsFailed = "EL3002";
    /// <summary>Formatting is not clean.</summary>
    public const string FormatDirty = "EL3003";
    /// <summary>The diff is over its limits.</summary>
    public const string DiffTooLarge = "EL3004";
    /// <summary>A protected path was changed without being named.</summary>
    public const string ProtectedPath = "EL3005";
    /// <summary>A command gate failed.</summary>
    public const string CommandGateFailed = "EL3006";
    /// <summary>A gate crashed.</summary>
    public const string GateCrashed = "EL3007";
    /// <summary>A gate timed out.</summary>
    public const string GateTimedOut = "EL3008";
    /// <summary>A change lies outside the mission scope.</summary>
    public const string OutsideScope = "EL3009";
    /// <summary>Public API without XML doc summaries.</summary>
    public const string MissingDocs = "EL3010";
    /// <summary>New compiler or analyzer warnings compared with the base commit.</summary>
    public const string NewAnalyzerWarnings = "EL3011";
    /// <summary>The change contains something that looks like a secret.</summary>
    public const string SecretInDiff = "EL3012";
    /// <summary>Line coverage dropped, or is under the minimum, or could not be measured.</summary>
    public const string CoverageDropped = "EL3013";
    /// <summary>The tests still pass with a deliberate bug in newly covered code.</summary>
    public const string MutantSurvived = "EL3014";
    /// <summary>The change adds or rewrites a binary file the brief does not allow.</summary>
    public const string BinaryFile = "EL3015";

    // EL4xxx: review targets
    /// <summary>Unknown review target.</summary>
    public const string UnknownReviewTarget = "EL4001";
    /// <summary>Publishing failed.</summary>
    public const string PublishFailed = "EL4002";
    /// <summary>The GitHub repository (owner/name) is not known.</summary>
    public const string GitHubRepositoryUnknown = "EL4003";
    /// <summary>No token for the GitHub API.</summary>
    public const string GitHubTokenMissing = "EL4004";
    /// <summary>The token lacks a permission the call needs.</summary>
    public const string GitHubPermission = "EL4005";
    /// <summary>Pushing the mission branch failed.</summary>
    public const string PushFailed = "EL4006";
    /// <summary>Someone else pushed to the mission branch; ExecutionLoops stopped updating it.</summary>
    public const string BranchTakenOver = "EL4007";
    /// <summary>The configured review target takes no feedback (no review conversation).</summary>
    public const string ReviewConversationUnsupported = "EL4008";
    /// <summary>The Azure DevOps collection, project or repository is not known.</summary>
    public const string AzureReposUnknown = "EL4010";
    /// <summary>No token for the Azure DevOps API.</summary>
    public const string AzureDevOpsTokenMissing = "EL4011";
    /// <summary>Azure DevOps refused a call (401/403): the identity lacks a permission.</summary>
    public const string AzureDevOpsPermission = "EL4012";
    /// <summary>An Azure DevOps API call failed (after retries for throttling and server errors).</summary>
    public const string AzureDevOpsCallFailed = "EL4013";
    /// <summary>A reviewer or trusted identity named in the brief or config is not known to Azure DevOps.</summary>
    public const string AzureDevOpsIdentityUnknown = "EL4014";

    // EL4030–EL4039: notifications and the mission dashboard issue (warnings: they never fail a run)
    /// <summary>A notification could not be delivered after its retries.</summary>
    public const string NotificationFailed = "EL4030";
    /// <summary>The environment variable a notification channel names is not set.</summary>
    public const string NotificationVariableMissing = "EL4031";
    /// <summary>A notification did not finish within its time-out.</summary>
    public const string NotificationTimedOut = "EL4032";
    /// <summary>The mission dashboard issue could not be read or updated.</summary>
    public const string DashboardIssueFailed = "EL4033";
    /// <summary>A mission's box on the dashboard issue was ticked by someone who is not trusted; ignored.</summary>
    public const string DashboardUntrustedTick = "EL4034";

    // EL5xxx: agents
    /// <summary>The agent settings are invalid or incomplete.</summary>
    public const string AgentConfigInvalid = "EL5001";
    /// <summary>The agent CLI is not installed.</summary>
    public const string AgentCliMissing = "EL5002";
    /// <summary>The model endpoint (of the chat agent or an agent CLI) cannot be reached or timed out.</summary>
    public const string AgentEndpointUnreachable = "EL5003";
    /// <summary>The model endpoint refused the key (401/403).</summary>
    public const string AgentAuthFailed = "EL5004";
    /// <summary>The model endpoint kept failing (429/5xx after retries).</summary>
    public const string AgentEndpointFailed = "EL5005";
    /// <summary>The agent exceeded its wall time and was stopped.</summary>
    public const string AgentTimedOut = "EL5006";
    /// <summary>The agent used up its turns or tokens without finishing.</summary>
    public const string AgentBudgetExhausted = "EL5007";
    /// <summary>The model kept sending malformed tool calls.</summary>
    public const string AgentMalformedResponse = "EL5008";
    /// <summary>The agent CLI failed.</summary>
    public const string AgentFailed = "EL5009";
    /// <summary>The agent changed something the sandbox does not allow; the change was reverted.</summary>
    public const string SandboxViolation = "EL5010";
    /// <summary>Every attempt failed its required gates.</summary>
    public const string AttemptsExhausted = "EL5011";
    /// <summary>The repository's git config holds credentials an agent could read; agent missions refuse to run.</summary>
    public const string RepositoryHoldsCredentials = "EL5012";
    /// <summary>No sandbox backend can run here; agent missions stop rather than run unsandboxed.</summary>
    public const string SandboxUnavailable = "EL5013";
    /// <summary>The brief or config turns the sandbox off (sandbox: none).</summary>
    public const string SandboxDisabled = "EL5014";
    /// <summary>The agent CLI exited 0 having changed nothing, and its tool calls were refused (by its permissions or the sandbox).</summary>
    public const string AgentToolsRefused = "EL5015";

    /// <summary>A gate's process (a build target, a test) rewrote the change of an agent mission after gates had checked it.</summary>
    public const string ChangedDuringGates = "EL5020";

    // EL6xxx: pair sessions and MSBuild
    /// <summary>No active pair session (and no goal to start one).</summary>
    public const string NoPairSession = "EL6001";
    /// <summary>Another pair session is active on this repository.</summary>
    public const string PairSessionActive = "EL6002";
    /// <summary>The time box does not parse.</summary>
    public const string InvalidTimebox = "EL6003";
    /// <summary>The checkpoint does not exist.</summary>
    public const string UnknownCheckpoint = "EL6004";
    /// <summary>The pair brief is unknown or not a pair brief.</summary>
    public const string InvalidPairBrief = "EL6005";
    /// <summary>No pending proposal to accept or reject.</summary>
    public const string NoProposal = "EL6006";
    /// <summary>The proposal no longer applies to the working tree.</summary>
    public const string ProposalDoesNotApply = "EL6007";

    // EL7xxx: dependencies and package feeds
    /// <summary>A project, props, targets or JSON file is malformed.</summary>
    public const string MalformedProjectFile = "EL7001";
    /// <summary>A version property is defined in more than one place.</summary>
    public const string AmbiguousVersionProperty = "EL7002";
    /// <summary>A package source cannot be reached or refuses the request.</summary>
    public const string FeedUnreachable = "EL7003";
    /// <summary>A package source answered with something that is not a NuGet v3 feed.</summary>
    public const string FeedInvalidResponse = "EL7004";
    /// <summary>No package source has the package.</summary>
    public const string UnknownPackage = "EL7005";
    /// <summary>A nuget.config credential names an environment variable that is not set.</summary>
    public const string FeedCredentialMissing = "EL7006";
    /// <summary>A nuget.config file cannot be read.</summary>
    public const string FeedConfigInvalid = "EL7007";
    /// <summary>A file changed between the scan and the edit; nothing was written.</summary>
    public const string VersionEditConflict = "EL7008";
    /// <summary>Refreshing packages.lock.json (restore) failed.</summary>
    public const string LockFileRefreshFailed = "EL7009";
    /// <summary>The policy cannot be satisfied (for example a vulnerable package without a safe version).</summary>
    public const string PolicyUnsatisfiable = "EL7010";
    /// <summary>An import's path or condition cannot be evaluated without MSBuild; the packages it brings in are not reported.</summary>
    public const string ImportNotFollowed = "EL7011";
    /// <summary>The written version is not on the sources; restore takes a higher one (NuGet's NU1603).</summary>
    public const string WrittenVersionMissing = "EL7012";
    /// <summary>No version on the sources satisfies the written version or range; restore fails (NuGet's NU1102).</summary>
    public const string WrittenVersionUnresolvable = "EL7013";
    /// <summary>An audit source in nuget.config publishes no vulnerability data (NuGet's NU1905).</summary>
    public const string AuditSourceWithoutData = "EL7014";
}
