using Jiceng.Web.Features.Demo;
using Bogus;
using Jiceng.Data;
using Jiceng.Data.Protection;
using Jiceng.Domain.Development;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Security;
using Jiceng.Web.Infrastructure;
using K = Jiceng.Domain.Development.DevelopmentStepKind;

namespace Jiceng.Web.Features.Development;

/// <summary>Fictional development records for the demo district: a few per community (4 at member scale 1, more with
/// larger scales; below 1 only that share of communities), one in each stage in turn, on lawful timelines with a few deadlines missed so the board
/// and the alerts have something to show. Probationary ones are in the registry too.</summary>
public static class DevelopmentDemo
{
    public static (List<DevelopmentRecord> Records, List<Member> Members) Generate(IReadOnlyList<Organization> orgs, IReadOnlyList<Member> existing,
        FieldProtector protector, DateTimeOffset now, double memberScale, int seed = 2030)
    {
        var faker = new Faker("zh_CN") { Random = new Randomizer(seed) };
        var rnd = faker.Random;
        var today = DateOnly.FromDateTime(now.ToChina().DateTime);
        var perCommunity = Math.Max(4, (int)Math.Round(4 * memberScale));
        var branchesOf = orgs.Where(o => o.Kind == OrganizationKind.GridBranch && o.ParentId is not null).GroupBy(o => o.ParentId!.Value)
            .ToDictionary(g => g.Key, g => g.ToList());
        var fullByOrg = existing.Where(m => m.State == MemberState.Full && m.Status == MemberStatus.Normal).GroupBy(m => m.OrganizationId)
            .ToDictionary(g => g.Key, g => g.ToList());
        var anyFull = existing.Where(m => m.State == MemberState.Full && m.Status == MemberStatus.Normal).Take(50).ToList();
        var records = new List<DevelopmentRecord>();
        var newMembers = new List<Member>();
        var usedIds = new HashSet<string>();
        var index = 0;
        var communities = orgs.Where(o => o.Kind is OrganizationKind.CommunityCommittee or OrganizationKind.GeneralBranch).ToList();
        for (var c = 0; c < communities.Count; c++)
        {
            var community = communities[c];
            // Below member scale 1 (the tests' 0.1) only that share of communities has records, always the first
            // (demo-community's), so seeding stays cheap; the rest are chosen by the seeded generator.
            var sampled = c == 0 || memberScale >= 1 || rnd.Double() < memberScale;
            if (!sampled || !branchesOf.TryGetValue(community.Id, out var branches)) continue;
            for (var i = 0; i < perCommunity; i++, index++)
            {
                var branch = branches[i % branches.Count];
                var stage = (DevelopmentStage)(i % 4 + 1);
                // Days from application to: activist 45, candidate ~420, vote ~570.
                var applied = stage switch
                {
                    // Every third applicant nobody has talked to, over a month ago: an overdue talk.
                    DevelopmentStage.Applicant => today.AddDays(index % 3 == 0 ? -rnd.Int(35, 45) : -rnd.Int(3, 28)),
                    DevelopmentStage.Activist => today.AddDays(-rnd.Int(90, 400)),
                    DevelopmentStage.Candidate => today.AddDays(-(420 + rnd.Int(20, 140))),
                    _ => today.AddDays(-(580 + rnd.Int(30, 300))),
                };
                var birth = applied.AddYears(-rnd.Int(19, 45)).AddDays(-rnd.Int(0, 364));
                var male = rnd.Bool();
                string id;
                do
                {
                    var seq = rnd.Int(0, 99) * 10 + (male ? rnd.ArrayElement(new[] { 1, 3, 5, 7, 9 }) : rnd.ArrayElement(new[] { 0, 2, 4, 6, 8 }));
                    id = IdCardNumber.Complete($"330110{birth:yyyyMMdd}{seq:D3}");
                } while (!usedIds.Add(id));
                var p = protector.Protect(id, ProtectedKind.IdNumber);
                var name = faker.Name.LastName() + faker.Name.FirstName();
                var r = new DevelopmentRecord
                {
                    Id = DemoIds.Next(rnd), OrganizationId = branch.Id, Name = name, NameInitials = PinyinInitials.Of(name),
                    Gender = male ? Gender.Male : Gender.Female, BirthDate = birth, IdNumberCipher = p.Cipher, IdNumberHash = p.Hash, IdNumberMasked = p.Masked,
                    Education = (Education)rnd.Int(3, 6), Occupation = Occupation.Employed, WorkUnit = "云湖区" + rnd.ArrayElement(new[] { "第一中学", "人民医院", "市政工程公司", "图书馆" }),
                    AppliedOn = applied, CreatedAt = now, UpdatedAt = now,
                };
                var people = fullByOrg.GetValueOrDefault(branch.Id) is { Count: >= 2 } f ? f : anyFull;
                var steps = Path(r.Id, applied, people, rnd, now).Where(s => s.OccurredOn <= today).ToList();
                // A few missed deadlines: an applicant nobody has talked to, an activist whose last assessment is missing.
                if (stage == DevelopmentStage.Applicant && index % 3 == 0) steps.RemoveAll(s => s.Kind == K.ApplicationTalk);
                if (stage == DevelopmentStage.Activist && index % 3 == 1 && steps.LastOrDefault(s => s.Kind == K.ActivistAssessment) is { } last) steps.Remove(last);
                r.Steps = steps;
                DevelopmentService.Refresh(r);
                if (r.Stage == DevelopmentStage.Probationary)
                {
                    var m = new Member
                    {
                        Id = DemoIds.Next(rnd), OrganizationId = branch.Id, Name = name, NameInitials = r.NameInitials, Gender = r.Gender, BirthDate = birth,
                        IdNumberCipher = p.Cipher, IdNumberHash = p.Hash, IdNumberMasked = p.Masked, Education = r.Education, Occupation = r.Occupation,
                        WorkUnit = r.WorkUnit, State = MemberState.Probationary, JoinedOn = r.VotedOn!.Value,
                        JoinedMonthDay = r.VotedOn!.Value.Month * 100 + r.VotedOn!.Value.Day, CreatedAt = now, UpdatedAt = now,
                    };
                    r.MemberId = m.Id;
                    newMembers.Add(m);
                }
                records.Add(r);
            }
        }
        return (records, newMembers);
    }

    public static async Task SeedAsync(JicengDbContext db, IReadOnlyList<Organization> orgs, IReadOnlyList<Member> existing, FieldProtector protector,
        DateTimeOffset now, double memberScale, CancellationToken ct)
    {
        var (records, members) = Generate(orgs, existing, protector, now, memberScale);
        db.Members.AddRange(members);
        db.DevelopmentRecords.AddRange(records);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>A lawful path from application to archiving, dated from <paramref name="applied"/>; the caller keeps the past part.</summary>
    private static List<DevelopmentStep> Path(Guid recordId, DateOnly applied, IReadOnlyList<Member> people, Randomizer rnd, DateTimeOffset now)
    {
        var list = new List<DevelopmentStep>();
        DevelopmentStep Add(K kind, DateOnly on, string? actor = null, string? documents = null)
        {
            var s = new DevelopmentStep
            {
                Id = DemoIds.Next(rnd), RecordId = recordId, Kind = kind, OccurredOn = on, Actor = actor, Documents = documents,
                Decision = DevelopmentProcedure.Info(kind).BodyDecides ? StepDecision.Approved : null,
                RuleVersion = DevelopmentRuleBook.InForce(on, 2026).Version, RecordedBy = "演示数据", RecordedAt = now,
            };
            list.Add(s);
            return s;
        }
        DevelopmentStep Vote(K kind, DateOnly on)
        {
            var s = Add(kind, on, "支部大会", "会议记录");
            var entitled = rnd.Int(9, 30);
            (s.Entitled, s.Attending) = (entitled, entitled - rnd.Int(0, 3));
            (s.VotesFor, s.VotesAgainst, s.VotesAbstaining) = (s.Attending - 1, 0, 1);
            return s;
        }
        string Names(int n) => string.Join("、", people.Take(n).Select(m => m.Name));
        string Ids(int n) => string.Join(",", people.Take(n).Select(m => m.Id));

        Add(K.Application, applied, documents: "入党申请书");
        Add(K.ApplicationTalk, applied.AddDays(15), "支部组织委员", "谈话记录");
        var act = applied.AddDays(45);
        Add(K.ActivistDetermination, act, "支部委员会", "支委会会议记录").Method = rnd.Bool() ? "党员推荐" : "群团组织推优";
        Add(K.ActivistFiling, act.AddDays(5), "社区党委", "备案表");
        var mentors = Add(K.MentorAssignment, act.AddDays(5), "支部委员会");
        (mentors.PersonIds, mentors.PersonNames) = (Ids(1), Names(1));
        var candidate = act.AddYears(1).AddDays(10);
        for (var d = act.AddMonths(6); d < candidate; d = d.AddMonths(6)) Add(K.ActivistAssessment, d, "支部委员会", "考察登记表");
        var c = Add(K.CandidateDetermination, candidate, "支部委员会", "支委会会议记录、公示材料");
        (c.NoticeFrom, c.NoticeTo) = (candidate.AddDays(-9), candidate.AddDays(-1));
        Add(K.CandidateFiling, candidate.AddDays(3), "社区党委", "备案表");
        var sponsors = Add(K.SponsorAssignment, candidate.AddDays(5), "支部委员会");
        (sponsors.PersonIds, sponsors.PersonNames) = (Ids(2), Names(2));
        Add(K.PoliticalReview, candidate.AddDays(30), "支部委员会", "政审材料");
        Add(K.CentralizedTraining, candidate.AddDays(40), "街道党校", "结业证书").TrainingDays = 3;
        Add(K.CommitteeReview, candidate.AddMonths(3), "支部委员会");
        Add(K.PreReview, candidate.AddMonths(4), "街道党工委", "预审意见");
        Add(K.ApplicationForm, candidate.AddMonths(4).AddDays(5), documents: "入党志愿书");
        var vote = candidate.AddMonths(5);
        Vote(K.AdmissionVote, vote);
        Add(K.CommitteeTalk, vote.AddDays(10), "街道党工委组织员", "谈话记录");
        Add(K.AdmissionApproval, vote.AddDays(20), "街道党工委", "审批意见");
        Add(K.AdmissionFiling, vote.AddDays(25), "区委组织部");
        Add(K.GroupPlacement, vote.AddDays(25), "党支部");
        Add(K.Oath, vote.AddDays(30), "党支部");
        var end = vote.AddYears(1);
        for (var d = vote.AddMonths(6); d < end; d = d.AddMonths(6)) Add(K.ProbationAssessment, d, "支部委员会", "考察登记表");
        Add(K.ConfirmationApplication, end.AddDays(-10), documents: "转正申请书");
        Vote(K.ConfirmationVote, end);
        Add(K.ConfirmationApproval, end.AddDays(30), "街道党工委");
        Add(K.Archiving, end.AddDays(35), "党支部");
        return list;
    }
}
