using LiteDB;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Review;

/// <summary>Cases in the LiteDB file.</summary>
public sealed class LiteDbCaseStore(ConsoleDatabase database) : ICaseStore
{
    private ILiteCollection<CaseRecord> Cases => database.Database.GetCollection<CaseRecord>("cases");

    public CaseRecord Keep(ClipRecord clip, string sha256, string reason, string keptBy, DateTimeOffset now)
    {
        var kept = CaseRecord.Of(clip, sha256, reason, keptBy, now);
        Cases.Insert(kept);
        return kept;
    }

    public CaseRecord? Find(string caseId) => ClipUploads.IsValidId(caseId) ? Cases.FindById(caseId) : null;

    public IReadOnlyList<CaseRecord> List(Func<string, bool> maySee, int limit) =>
        [.. Cases.Query().OrderByDescending(c => c.KeptAtTicks).ToEnumerable().Where(c => maySee(c.SiteId)).Take(limit)];
}
