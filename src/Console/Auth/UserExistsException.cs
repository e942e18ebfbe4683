namespace ServiceHall.Console.Auth;

/// <summary>A user name is taken, in some letter case; perhaps a moment ago, through another Console node.</summary>
public sealed class UserExistsException(string id) : Exception($"user '{id}' already exists");
