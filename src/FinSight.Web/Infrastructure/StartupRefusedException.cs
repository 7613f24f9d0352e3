using System.Reflection;

namespace FinSight.Web.Infrastructure;

/// <summary>
/// A configuration FinSight refuses to run with (no or a weak signing key, demo mode in
/// Production). The process prints the message and exits with <see cref="ExitCode"/>, instead of
/// crashing with a stack trace (exit code 134).
/// </summary>
public sealed class StartupRefusedException(string message) : InvalidOperationException(message)
{
    public const int ExitCode = 2;

    /// <summary>
    /// Makes a refusal end the process cleanly. Only when FinSight itself is the program: hosted by
    /// a test factory the exception reaches the factory as it is.
    /// </summary>
    public static void ExitCleanlyOnRefusal()
    {
        if (Assembly.GetEntryAssembly() != typeof(StartupRefusedException).Assembly)
        {
            return;
        }
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is StartupRefusedException refused)
            {
                Console.Error.WriteLine("FinSight will not start: " + refused.Message);
                Environment.Exit(ExitCode);
            }
        };
    }
}
