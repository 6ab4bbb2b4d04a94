using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Monitoring;

/// <summary>Everything the monitoring commands read, taken once: the run history, open review items and pair sessions.</summary>
/// <param name="Repository">The repository's folder name.</param>
/// <param name="Taken">When it was taken.</param>
/// <param name="Runs">Every mission run, oldest first.</param>
/// <param name="OpenItems">Review items waiting for a reviewer (the local queue's), oldest first.</param>
/// <param name="PairSessions">The pair sessions, oldest first.</param>
/// <param name="DelegatedMissions">The catalog's delegated missions and their kinds.</param>
/// <param name="Warnings">What went wrong reading it (a damaged history rebuilt, a journal skipped).</param>
public sealed record MonitoringSnapshot(
    string Repository,
    DateTimeOffset Taken,
    IReadOnlyList<MissionRunRecord> Runs,
    IReadOnlyList<OpenReviewItem> OpenItems,
    IReadOnlyList<PairSessionSummary> PairSessions,
    IReadOnlyDictionary<string, string> DelegatedMissions,
    IReadOnlyList<Diagnostic> Warnings);

/// <summary>A review item waiting for a reviewer.</summary>
/// <param name="Id">The item id.</param>
/// <param name="Mission">Its mission.</param>
/// <param name="Title">Its title (masked).</param>
/// <param name="Created">When it was first published.</param>
/// <param name="Updated">When it last changed.</param>
/// <param name="Revision">Its revision.</param>
/// <param name="Draft">True when it is a draft.</param>
/// <param name="ChangesRequested">True when a reviewer rejected it and the next run has yet to rework it.</param>
public sealed record OpenReviewItem(string Id, string Mission, string Title, DateTimeOffset Created, DateTimeOffset Updated, int Revision, bool Draft, bool ChangesRequested);
