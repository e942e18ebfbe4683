// `verify CASE.zip [--keys KEYS.json]` checks a downloaded case package without starting the Console (./hall.sh verify).
if (args is ["verify", var package, .. var options])
{
    return ServiceHall.Console.Review.CasePackage.VerifyCommand(package, options, System.Console.Out);
}

return await ServiceHall.Console.ConsoleApp.RunAsync(args);
