// `verify CASE.zip` checks a downloaded case package without starting the Console (./hall.sh verify).
if (args is ["verify", var package])
{
    return ServiceHall.Console.Review.CasePackage.VerifyCommand(package, System.Console.Out);
}

return await ServiceHall.Console.ConsoleApp.RunAsync(args);
