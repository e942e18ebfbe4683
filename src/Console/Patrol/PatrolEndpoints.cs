using Microsoft.AspNetCore.Http.HttpResults;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Fleet;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Patrol;

/// <summary>
/// Video patrol: a supervisor starts one over chosen sites (or a district); the page cycles through their cameras'
/// snapshots and the supervisor records findings. Starting, each finding and ending are audited.
/// </summary>
public static class PatrolEndpoints
{
    public const int MinIntervalSeconds = 5;
    public const int MaxIntervalSeconds = 600;
    public const int MaxNoteLength = 500;

    /// <summary>What a supervisor posts to start a patrol: sites by id, or a whole district.</summary>
    public sealed record StartBody(IReadOnlyList<string>? SiteIds, string? District, int IntervalSeconds);

    /// <summary>A finding at stop <paramref name="Stop"/> (0-based): <c>Fine</c>, or <c>Problem</c> with a note.</summary>
    public sealed record FindingBody(int Stop, string Verdict, string? Note);

    public sealed record StopView(int Index, string SiteId, string SiteName, string CameraId, string CameraName);

    public sealed record FindingView(int Number, int Stop, string SiteId, string CameraId, DateTimeOffset At, string By, string Verdict, string Note, string? SnapshotUrl, DateTimeOffset? SnapshotTakenAt);

    public sealed record PatrolView(string PatrolId, string StartedBy, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, int IntervalSeconds, IReadOnlyList<StopView> Stops, IReadOnlyList<FindingView> Findings, int Problems);

    public static class Verdicts
    {
        public const string Fine = "Fine";
        public const string Problem = "Problem";
    }

    /// <summary>Why a patrol refused a change.</summary>
    public sealed record Refusal(string Error);

    /// <summary>What starting, recording on or ending a patrol takes.</summary>
    public sealed record PatrolAction(CurrentUser User, IPatrolStore Patrols, AuditLog Audit, TimeProvider Time);

    public static IEndpointRouteBuilder MapPatrol(this IEndpointRouteBuilder app)
    {
        var readers = app.MapGroup("/api/patrols").RequireAuthorization();
        readers.MapGet("", (CurrentUser user, IPatrolStore patrols) =>
        {
            var visible = user.SiteIds();
            return TypedResults.Ok(patrols.List(visible.Contains, 100).Select(View).ToList());
        });
        readers.MapGet("/{patrolId}", Results<Ok<PatrolView>, NotFound> (string patrolId, CurrentUser user, IPatrolStore patrols) =>
            Visible(patrols.Find(patrolId), user) is { } p ? TypedResults.Ok(View(p)) : TypedResults.NotFound());
        readers.MapGet("/{patrolId}/findings/{number:int}/snapshot.jpg", Results<FileContentHttpResult, NotFound> (string patrolId, int number, CurrentUser user, IPatrolStore patrols) =>
            Visible(patrols.Find(patrolId), user)?.Findings.FirstOrDefault(f => f.Number == number)?.SnapshotId is { } id && patrols.Snapshot(id) is { } jpeg
                ? TypedResults.File(jpeg, "image/jpeg")
                : TypedResults.NotFound());

        var supervisors = app.MapGroup("/api/patrols").RequireAuthorization(Policies.Supervisor);
        supervisors.MapPost("", Start);
        supervisors.MapPost("/{patrolId}/findings", Record);
        supervisors.MapPost("/{patrolId}/end", Results<Ok<PatrolView>, NotFound, Conflict<Refusal>> (string patrolId, [AsParameters] PatrolAction action) =>
        {
            if (Visible(action.Patrols.Find(patrolId), action.User) is not { } patrol)
            {
                return TypedResults.NotFound();
            }

            if (!action.Patrols.End(patrol.Id, action.Time.GetUtcNow()))
            {
                return TypedResults.Conflict(new Refusal("the patrol has already ended"));
            }

            action.Audit.Append(action.User.Name, AuditActions.PatrolEnded, $"patrol:{patrol.Id}", $"{patrol.Findings.Count} findings");
            return TypedResults.Ok(View(action.Patrols.Find(patrol.Id)!));
        });
        return app;
    }

    /// <summary>The stops of a patrol: every camera of each site, sites by district then id, cameras by id.</summary>
    public static IReadOnlyList<PatrolStop> Plan(IEnumerable<SiteStatusChanged> sites) =>
        [.. sites
            .OrderBy(s => s.District, StringComparer.Ordinal).ThenBy(s => s.SiteId, StringComparer.Ordinal)
            .SelectMany(s => s.Cameras.OrderBy(c => c.CameraId, StringComparer.Ordinal)
                .Select(c => new PatrolStop { SiteId = s.SiteId, SiteName = s.Name, CameraId = c.CameraId, CameraName = c.Name }))];

    private static Results<Created<PatrolView>, ValidationProblem> Start(StartBody body, FleetState fleet, [AsParameters] PatrolAction action)
    {
        var (user, patrols, audit, time) = action;
        var problems = new List<string>();
        if (body.IntervalSeconds is < MinIntervalSeconds or > MaxIntervalSeconds)
        {
            problems.Add($"intervalSeconds must be between {MinIntervalSeconds} and {MaxIntervalSeconds}");
        }

        var visible = user.SiteIds();
        var chosen = new List<SiteStatusChanged>();
        if (body.District is { Length: > 0 } district)
        {
            chosen.AddRange(fleet.All().Where(s => s.District == district && visible.Contains(s.SiteId)));
        }

        foreach (var siteId in body.SiteIds ?? [])
        {
            if (visible.Contains(siteId) && fleet.Find(siteId) is { } status)
            {
                chosen.Add(status);
            }
            else
            {
                // Same answer for "no such site" and "not yours".
                problems.Add($"site '{(Slug.IsValid(siteId) ? siteId : "?")}' is not visible");
            }
        }

        var stops = Plan(chosen.DistinctBy(s => s.SiteId));
        if (problems.Count == 0 && stops.Count == 0)
        {
            problems.Add(chosen.Count == 0 ? "choose at least one site or a district" : "the chosen sites report no cameras yet");
        }

        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["patrol"] = [.. problems] });
        }

        var patrol = patrols.Start(user.Name, body.IntervalSeconds, stops, time.GetUtcNow());
        audit.Append(patrol.StartedBy, AuditActions.PatrolStarted, $"patrol:{patrol.Id}", $"{stops.Count} cameras of {string.Join(",", stops.Select(s => s.SiteId).Distinct())}");
        return TypedResults.Created($"/api/patrols/{patrol.Id}", View(patrol));
    }

    private static Results<Ok<FindingView>, NotFound, ValidationProblem, Conflict<Refusal>> Record(string patrolId, FindingBody body, SnapshotCache snapshots, [AsParameters] PatrolAction action)
    {
        var (user, patrols, audit, time) = action;
        if (Visible(patrols.Find(patrolId), user) is not { } patrol)
        {
            return TypedResults.NotFound();
        }

        var note = body.Note?.Trim() ?? "";
        var problems = new List<string>();
        if (body.Stop < 0 || body.Stop >= patrol.Stops.Count)
        {
            problems.Add($"stop must be between 0 and {patrol.Stops.Count - 1}");
        }

        if (body.Verdict is not (Verdicts.Fine or Verdicts.Problem))
        {
            problems.Add("verdict must be Fine or Problem");
        }

        if (body.Verdict == Verdicts.Problem && note.Length == 0)
        {
            problems.Add("a problem needs a note");
        }

        if (note.Length > MaxNoteLength)
        {
            problems.Add($"note must be at most {MaxNoteLength} characters");
        }

        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["finding"] = [.. problems] });
        }

        var stop = patrol.Stops[body.Stop];
        // A problem keeps the picture the supervisor was looking at: the newest snapshot of that camera.
        var snapshot = body.Verdict == Verdicts.Problem ? snapshots.Find(stop.SiteId, stop.CameraId) : null;
        var finding = patrols.Record(patrol.Id, new PatrolFinding
        {
            Stop = body.Stop,
            SiteId = stop.SiteId,
            CameraId = stop.CameraId,
            AtTicks = time.GetUtcNow().UtcTicks,
            By = user.Name,
            Verdict = body.Verdict,
            Note = note,
            SnapshotTakenAtTicks = snapshot?.TakenAt.UtcTicks,
        }, snapshot?.Jpeg);
        if (finding is null)
        {
            return TypedResults.Conflict(new Refusal("the patrol has ended"));
        }

        audit.Append(finding.By, AuditActions.PatrolFindingRecorded, $"patrol:{patrol.Id}", $"{finding.Verdict} {stop.SiteId}/{stop.CameraId}: {note}");
        return TypedResults.Ok(View(patrol.Id, finding));
    }

    private static PatrolRecord? Visible(PatrolRecord? patrol, CurrentUser user)
    {
        if (patrol is null)
        {
            return null;
        }

        var visible = user.SiteIds();
        return patrol.Stops.All(s => visible.Contains(s.SiteId)) ? patrol : null;
    }

    private static PatrolView View(PatrolRecord p) => new(
        p.Id,
        p.StartedBy,
        new DateTimeOffset(p.StartedAtTicks, TimeSpan.Zero),
        p.EndedAtTicks is { } ended ? new DateTimeOffset(ended, TimeSpan.Zero) : null,
        p.IntervalSeconds,
        [.. p.Stops.Select((s, i) => new StopView(i, s.SiteId, s.SiteName, s.CameraId, s.CameraName))],
        [.. p.Findings.Select(f => View(p.Id, f))],
        p.Findings.Count(f => f.Verdict == Verdicts.Problem));

    private static FindingView View(string patrolId, PatrolFinding f) => new(
        f.Number,
        f.Stop,
        f.SiteId,
        f.CameraId,
        new DateTimeOffset(f.AtTicks, TimeSpan.Zero),
        f.By,
        f.Verdict,
        f.Note,
        f.SnapshotId is null ? null : $"/api/patrols/{patrolId}/findings/{f.Number}/snapshot.jpg",
        f.SnapshotTakenAtTicks is { } taken ? new DateTimeOffset(taken, TimeSpan.Zero) : null);
}
