using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder;
using ServiceHall.Recorder.Cameras;

if (args is ["cameras", .. var command])
{
    return await CameraCommands.RunAsync(command, Console.Out, Console.Error, Environment.GetEnvironmentVariable, CancellationToken.None);
}

try
{
    using var host = RecorderServices.Build(args);
    await host.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync("ServiceHall Recorder: invalid configuration:");
    foreach (var failure in ex.Failures)
    {
        await Console.Error.WriteLineAsync($"  {failure}");
    }

    return 2;
}
