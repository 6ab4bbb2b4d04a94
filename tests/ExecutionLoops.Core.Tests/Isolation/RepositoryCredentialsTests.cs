using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Diagnostics;
using ExecutionLoops.Isolation;
using ExecutionLoops.Processes;
using ExecutionLoops.Workspace;

namespace ExecutionLoops.Core.Tests.Isolation;

public sealed class RepositoryCredentialsTests : IDisposable
{
    private readonly TempGitRepo _repo = new();

    public void Dispose() => _repo.Dispose();

    [Theory]
    [InlineData("http.https://github.com/.extraheader", "AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hw")]
    [InlineData("credential.helper", "store")]
    [InlineData("credential.https://dev.azure.com.helper", "!f() { echo password=abc; }; f")]
    [InlineData("remote.origin.url", "https://user:hunter2@example.com/shop.git")]
    [InlineData("remote.origin.url", "https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r.git")]
    public async Task ACredentialInTheRepositoryConfig_IsFound_AndRefusedWithEL5012(string key, string value)
    {
        _repo.Git("config", key, value);
        var git = await GitRepository.DiscoverAsync(_repo.Root, new ProcessRunner());

        (await RepositoryCredentials.FindAsync(git, CancellationToken.None)).ShouldContain(k => k.Equals(key, StringComparison.OrdinalIgnoreCase));
        var error = await Should.ThrowAsync<LoopsException>(() => RepositoryCredentials.EnsureNoneAsync(git, CancellationToken.None));
        error.Diagnostics[0].Code.ShouldBe("EL5012");
        error.Diagnostics[0].Message.ShouldNotContain(value);
    }

    [Fact]
    public async Task APlainRemoteAndAHelperWithoutSecrets_AreFine()
    {
        _repo.Git("config", "remote.origin.url", "https://github.com/o/r.git");
        _repo.Git("config", "credential.helper", "cache --timeout=60");
        var git = await GitRepository.DiscoverAsync(_repo.Root, new ProcessRunner());

        (await RepositoryCredentials.FindAsync(git, CancellationToken.None)).ShouldBeEmpty();
    }
}
