using ExecutionLoops.Security;
using ExecutionLoops.Execution;

namespace ExecutionLoops.Core.Tests.Execution;

public sealed class SecretMaskerTests
{
    [Theory]
    [InlineData("GITHUB_TOKEN", true)]
    [InlineData("OPENAI_API_KEY", true)]
    [InlineData("DB_PASSWORD", true)]
    [InlineData("AZURE_DEVOPS_PAT", true)]
    [InlineData("NUGET_APITOKEN", true)]
    [InlineData("PATH", false)]
    [InlineData("PWD", false)]
    [InlineData("MONKEY_NAME", false)]
    [InlineData("HOME", false)]
    public void IsSecretName_RecognisesSecretVariablesByWholeWords(string name, bool secret) =>
        SecretMasker.IsSecretName(name).ShouldBe(secret);

    [Fact]
    public void Mask_ReplacesEveryRegisteredSecretLongestFirst()
    {
        var masker = new SecretMasker();
        masker.Add("abcd");
        masker.Add("abcdefgh");
        masker.Add("xy");

        masker.Mask("token=abcdefgh other=abcd short=xy").ShouldBe("token=*** other=*** short=xy");
    }
}
