using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace FinSight.Web.Tests.Hardening;

/// <summary>Keeps every log entry (message, structured values, scopes, exception) for assertions.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<CapturedLog> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    public sealed record CapturedLog(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, string?> Values, string Text);

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new Dictionary<string, string?>();
            var text = new StringBuilder(formatter(state, exception));
            void Add(object? item)
            {
                if (item is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        values[key] = value?.ToString();
                        text.Append(' ').Append(key).Append('=').Append(value);
                    }
                }
                else if (item is not null)
                {
                    text.Append(' ').Append(item);
                }
            }
            Add(state);
            owner._scopes.ForEachScope((scope, _) => Add(scope), (object?)null);
            if (exception is not null)
            {
                text.Append(' ').Append(exception);
            }
            owner.Entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), values, text.ToString()));
        }
    }
}
