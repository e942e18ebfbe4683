using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder;

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
