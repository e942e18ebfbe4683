using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Storage;
using ServiceHall.Console.Tests.Storage;

namespace ServiceHall.Console.Tests.Auth;

/// <summary>The user store's facts, run on the LiteDB file and on PostgreSQL alike.</summary>
public abstract class UserStoreContract(StoreProvider provider) : IAsyncLifetime
{
    protected const string Password = "Zhao-password-17";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero));

    protected StoreWorld World { get; private set; } = null!;

    public async Task InitializeAsync() => World = await StoreWorld.CreateAsync(provider);

    public async Task DisposeAsync() => await World.DisposeAsync();

    /// <summary>A store on the world's current database; after <see cref="StoreWorld.Reopen"/> a new one, as after a restart.</summary>
    protected UserStore Store(string initialAdminPassword = "") => Store(null, initialAdminPassword);

    /// <summary>A store on <paramref name="postgres"/> (another node's connection to the same database) when given.</summary>
    protected UserStore Store(PostgresDatabase? postgres, string initialAdminPassword = "")
    {
        var auth = Options.Create(new AuthOptions { InitialAdminPassword = initialAdminPassword });
        return provider == StoreProvider.LiteDb
            ? new LiteDbUserStore(World.LiteDb, auth, World.Options, _time, NullLogger<LiteDbUserStore>.Instance)
            : new PostgresUserStore(postgres ?? World.Postgres, auth, World.Options, _time, NullLogger<PostgresUserStore>.Instance);
    }

    [Fact]
    public void Verify_RightPasswordOnly_AndNoUnknownUser()
    {
        var store = Store();
        store.Create("zhao", "赵", Roles.Supervisor, Password, mustChangePassword: false, ["东城"]);

        Assert.Equal("zhao", store.Verify("zhao", Password)?.Id);
        Assert.Null(store.Verify("zhao", "wrong-password"));
        Assert.Null(store.Verify("qian", Password));
    }

    [Fact]
    public void Find_AnyLetterCase_FindsTheUser_AndTheNameIsTakenInAnyCase()
    {
        var store = Store();
        store.Create("zhao", "赵", Roles.Viewer, Password, mustChangePassword: false);

        Assert.Equal("zhao", store.Find("ZHAO")?.Id);
        Assert.Equal("user 'Zhao' already exists", Assert.Throws<UserExistsException>(() => store.Create("Zhao", "另一个赵", Roles.Admin, Password, mustChangePassword: false)).Message);
        Assert.Equal("赵", Assert.Single(store.All()).DisplayName);
    }

    [Fact]
    public void EnsureAdmin_EmptyStore_CreatesAdminOnce_WithTheGeneratedPasswordInTheDataFolder()
    {
        var store = Store();
        store.EnsureAdmin();
        var file = Path.Combine(World.DataDirectory, UserStore.InitialPasswordFile);
        var password = File.ReadAllText(file).Trim();

        var admin = store.Verify(UserStore.AdminUser, password);
        Assert.NotNull(admin);
        Assert.Equal(Roles.Admin, admin.Role);
        Assert.True(admin.MustChangePassword);

        File.Delete(file);
        store.EnsureAdmin();
        Assert.False(File.Exists(file));
        Assert.Single(store.All());
    }

    [Fact]
    public void EnsureAdmin_UsersExist_CreatesNoAdmin()
    {
        var store = Store(initialAdminPassword: "configured-admin-1");
        store.Create("zhao", "赵", Roles.Admin, Password, mustChangePassword: false);

        store.EnsureAdmin();

        Assert.Equal(["zhao"], store.All().Select(u => u.Id));
    }

    [Fact]
    public void ChangePassword_KeepsTheOldOneAsRecent_AndEndsSessions()
    {
        var store = Store();
        var user = store.Create("zhao", "赵", Roles.Supervisor, Password, mustChangePassword: true);
        var stamp = user.SecurityStamp;
        var ended = new List<string>();
        store.SessionsEnded += ended.Add;
        _time.Advance(TimeSpan.FromHours(1));

        store.ChangePassword(user, "Zhao-password-18");

        var stored = store.Find("zhao")!;
        Assert.NotEqual(stamp, stored.SecurityStamp);
        Assert.False(stored.MustChangePassword);
        Assert.Equal(_time.GetUtcNow(), stored.PasswordChangedAt);
        Assert.True(store.IsRecent(stored, Password));
        Assert.Null(store.Verify("zhao", Password));
        Assert.NotNull(store.Verify("zhao", "Zhao-password-18"));
        Assert.Equal(["zhao"], ended);
    }

    [Fact]
    public void UpdateAccess_RoleOrDistrictsChange_EndsSessions_NameAloneDoesNot()
    {
        var store = Store();
        var user = store.Create("zhao", "赵", Roles.Viewer, Password, mustChangePassword: false, ["东城"]);
        var stamp = user.SecurityStamp;

        store.UpdateAccess(user, "赵主任", Roles.Viewer, ["东城"]);
        Assert.Equal(stamp, store.Find("zhao")!.SecurityStamp);
        Assert.Equal("赵主任", store.Find("zhao")!.DisplayName);

        store.UpdateAccess(user, "赵主任", Roles.Viewer, ["东城", "西城"]);
        var stored = store.Find("zhao")!;
        Assert.NotEqual(stamp, stored.SecurityStamp);
        Assert.Equal(["东城", "西城"], stored.Districts);
    }

    [Fact]
    public void SetDisabled_RefusesSignIn_UntilEnabledAgain()
    {
        var store = Store();
        var user = store.Create("zhao", "赵", Roles.Viewer, Password, mustChangePassword: false);

        store.SetDisabled(user, disabled: true);
        Assert.Null(store.Verify("zhao", Password));
        Assert.True(store.Find("zhao")!.Disabled);

        store.SetDisabled(user, disabled: false);
        Assert.NotNull(store.Verify("zhao", Password));
    }

    [Fact]
    public void All_IsOrderedById()
    {
        var store = Store();
        foreach (var id in new[] { "zhao", "li", "qian", "a-1" })
        {
            store.Create(id, id, Roles.Viewer, Password, mustChangePassword: false);
        }

        Assert.Equal(["a-1", "li", "qian", "zhao"], store.All().Select(u => u.Id));
    }

    [Fact]
    public void Reopen_KeepsEveryField()
    {
        var store = Store();
        var user = store.Create("zhao", "赵", Roles.Supervisor, Password, mustChangePassword: true, ["东城", "西城"]);
        store.ChangePassword(user, "Zhao-password-18");
        var before = store.Find("zhao")!;

        World.Reopen();
        var after = Store().Find("zhao")!;

        Assert.Equal(
            (before.DisplayName, before.Role, before.PasswordHash, before.MustChangePassword, before.PasswordChangedAt, before.CreatedAt, before.SecurityStamp, before.Disabled),
            (after.DisplayName, after.Role, after.PasswordHash, after.MustChangePassword, after.PasswordChangedAt, after.CreatedAt, after.SecurityStamp, after.Disabled));
        Assert.Equal(before.Districts, after.Districts);
        Assert.Equal(before.PreviousPasswordHashes, after.PreviousPasswordHashes);
        Assert.NotNull(Store().Verify("zhao", "Zhao-password-18"));
    }
}

public sealed class LiteDbUserStoreTests() : UserStoreContract(StoreProvider.LiteDb);

public sealed class PostgresUserStoreTests() : UserStoreContract(StoreProvider.Postgres)
{
    [Fact]
    public async Task EnsureAdmin_TwoNodesStartingTogether_CreateOneAdmin()
    {
        using var second = new PostgresDatabase(World.Options, NullLogger<PostgresDatabase>.Instance);
        string[] passwords = ["first-admin-pw-1", "second-admin-pw-2"];
        var nodes = new[] { Store(passwords[0]), Store(second, passwords[1]) };
        using var start = new Barrier(nodes.Length);

        await Task.WhenAll(nodes.Select(node => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            node.EnsureAdmin();
        })));

        var admin = Assert.Single(nodes[1].All());
        Assert.Equal(UserStore.AdminUser, admin.Id);
        Assert.Single(passwords, pw => nodes[0].Verify(UserStore.AdminUser, pw) is not null);
    }

    [Fact]
    public async Task Create_SameUserOnTwoNodesAtOnce_IsStoredOnce()
    {
        using var second = new PostgresDatabase(World.Options, NullLogger<PostgresDatabase>.Instance);
        var nodes = new[] { Store(), Store(second) };
        using var start = new Barrier(nodes.Length);

        var outcomes = await Task.WhenAll(nodes.Select((node, i) => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            try
            {
                node.Create(i == 0 ? "zhao" : "ZHAO", $"node {i}", Roles.Viewer, Password, mustChangePassword: false);
                return true;
            }
            catch (UserExistsException)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, created => created);
        Assert.Single(nodes[0].All());
    }

    [Fact]
    public void Passwords_AreNeverStoredInPlain()
    {
        var store = Store();
        store.ChangePassword(store.Create("zhao", "赵", Roles.Viewer, Password, mustChangePassword: false), "Zhao-password-18");

        using var connection = World.Postgres.Open();
        using var dump = connection.Command("SELECT string_agg(u::text, '|') FROM users u");
        var text = (string)dump.ExecuteScalar()!;
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Zhao-password-18", text, StringComparison.Ordinal);
    }
}
