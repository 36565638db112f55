using Jiceng.Domain.Organizations;

namespace Jiceng.Domain.Tests.Organizations;

public class OrgPathTests
{
    [Fact]
    public void Subtree_range_contains_descendants_and_excludes_neighbouring_subtrees()
    {
        var root = Guid.Parse("00000000-0000-0000-0000-000000000005");
        var child = Guid.Parse("00000000-0000-0000-0000-000000000007");
        var p = OrgPath.Root(root);
        var c = OrgPath.Child(p, child);
        var end = OrgPath.RangeEnd(p);
        string.CompareOrdinal(c, p).ShouldBeGreaterThan(0);
        string.CompareOrdinal(c, end).ShouldBeLessThan(0);
        // A neighbouring root that sorts right after the node must fall outside its range.
        var sibling = OrgPath.Root(Guid.Parse("00000000-0000-0000-0000-000000000050"));
        (string.CompareOrdinal(sibling, p) >= 0 && string.CompareOrdinal(sibling, end) < 0).ShouldBeFalse();
        OrgPath.DepthOf(p).ShouldBe(0);
        OrgPath.DepthOf(c).ShouldBe(1);
        OrgPath.Ids(c).ShouldBe([root, child]);
        OrgPath.IsWithin(c, p).ShouldBeTrue();
        OrgPath.IsWithin(p, c).ShouldBeFalse();
    }
}
