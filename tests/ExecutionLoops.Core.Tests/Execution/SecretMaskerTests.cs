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

    [Theory]
    [InlineData("token ghp_abcdefghijklmnopqrstuvwxyz0123456789 used", "token *** used")]
    [InlineData("key=AKIAABCDEFGHIJKLMNOP;", "key=***;")]
    [InlineData("Server=db;Password=hunter2!;", "Server=db;***")]
    [InlineData("cwd PWD=/home/runner/work stays", "cwd PWD=/home/runner/work stays")]
    public void Mask_RemovesCredentialShapedValuesThatWereNeverRegistered(string text, string masked) =>
        new SecretMasker().Mask(text).ShouldBe(masked);

    [Fact]
    public void MaskingWriter_MasksASecretSplitAcrossWrites_AndPassesLinesOnWhole()
    {
        var masker = new SecretMasker();
        masker.Add("s3cr3t-value");
        var inner = new StringWriter();
        using (var writer = new MaskingTextWriter(inner, masker))
        {
            writer.Write("the value s3cr");
            inner.ToString().ShouldBeEmpty();
            writer.Write("3t-value is here\nnext ");
            inner.ToString().ShouldBe("the value *** is here\n");
        }

        inner.ToString().ShouldBe("the value *** is here\nnext ");
    }
}
