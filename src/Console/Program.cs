return await ServiceHall.Console.ConsoleApp.RunAsync(args);
