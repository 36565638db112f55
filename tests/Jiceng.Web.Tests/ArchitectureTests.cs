using System.Reflection;

namespace Jiceng.Web.Tests;

/// <summary>Guards the direction Domain &lt;- Data &lt;- Web.</summary>
public class ArchitectureTests
{
    private static IEnumerable<string> References(Assembly a) => a.GetReferencedAssemblies().Select(r => r.Name!);

    [Fact]
    public void Domain_references_neither_ef_core_nor_aspnet()
    {
        var refs = References(typeof(Domain.Organizations.Organization).Assembly).ToList();
        refs.ShouldNotContain(r => r.StartsWith("Microsoft.EntityFrameworkCore"));
        refs.ShouldNotContain(r => r.StartsWith("Microsoft.AspNetCore"));
        refs.ShouldNotContain(r => r.StartsWith("Jiceng.Data") || r.StartsWith("Jiceng.Web"));
    }

    [Fact]
    public void Data_does_not_reference_web()
    {
        References(typeof(Data.JicengDbContext).Assembly).ShouldNotContain(r => r.StartsWith("Jiceng.Web"));
        References(typeof(Data.JicengDbContext).Assembly).ShouldNotContain(r => r.StartsWith("Microsoft.AspNetCore.Http") || r.StartsWith("Microsoft.AspNetCore.Mvc"));
    }
}
