using Jiceng.Domain.Security;

namespace Jiceng.Domain.Tests.Security;

public class SecurityRulesTests
{
    [Theory]
    [InlineData("Abc12!", false)]       // too short
    [InlineData("abcdefgh", false)]     // one class
    [InlineData("abcd1234", false)]     // two classes
    [InlineData("Abcd1234", true)]      // three classes, 8 chars
    [InlineData("abcd123!", true)]
    [InlineData("Jiceng@2026", true)]
    [InlineData("Abc1234", false)]      // three classes, 7 chars
    public void Password_needs_eight_characters_of_three_classes(string password, bool ok) =>
        (PasswordPolicy.Check(password) is null).ShouldBe(ok);

    [Fact]
    public void Id_number_check_digit_follows_GB_11643()
    {
        // The standard's own example: 11010519491231002X.
        IdCardNumber.Validate("11010519491231002X").ShouldBeNull();
        IdCardNumber.Validate("11010519491231002x").ShouldBeNull();
        IdCardNumber.Validate("110105194912310021").ShouldBe("身份证号校验位不正确");
        IdCardNumber.Validate("110105194913310028").ShouldBe("身份证号中的出生日期无效");
        IdCardNumber.Validate("1101051949123100").ShouldBe("身份证号应为18位");
        IdCardNumber.Validate("").ShouldBe("身份证号不能为空");
        IdCardNumber.Complete("11010519491231002").ShouldBe("11010519491231002X");
        IdCardNumber.Validate(IdCardNumber.Complete("44030420300101123"), new DateOnly(2026, 1, 1)).ShouldBe("身份证号中的出生日期晚于今天");
    }

    [Fact]
    public void Masks_keep_region_and_last_four()
    {
        Masking.IdNumber("110105194912310021").ShouldBe("110105********0021");
        Masking.Phone("13812341234").ShouldBe("138****1234");
    }
}
