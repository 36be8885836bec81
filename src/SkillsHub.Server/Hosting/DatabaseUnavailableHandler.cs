using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// While PostgreSQL is down (restart, failover, network) every request that needs it fails; the client
/// should come back later, not see a server error. Database-unavailable exceptions, however deep they
/// arrive (Npgsql directly, the grain storage or audit trail inside a grain call, an Orleans call timing
/// out while its grain waits for the database, a message to a silo that has just died), become 503 problem details with Retry-After. Tablets
/// resend with the same Idempotency-Key, so a retried mark is stored once.
/// </summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problemDetails, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a client should wait before retrying; a PostgreSQL restart takes a few.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }
        if (exception is BadHttpRequestException bad)
        {
            // Kestrel's own refusals (a body over the endpoint's limit: 413; a malformed request: 400), and a handler's
            // parameter that does not bind (RouteHandlerOptions.ThrowOnBadRequest): a query value of the wrong type, a
            // body of the wrong shape. Each names the field at fault.
            if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await Platform.Problems.BodyTooLarge(httpContext).ExecuteAsync(httpContext);
                return true;
            }
            if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            {
                // A JSON body the framework binds, sent without Content-Type or as another type: the header is at fault (found
                // by an outside tester: "Bad request" naming the body). Every 415 gets its field and detail in one place
                // (Platform/ProblemCodes.cs), as the endpoints that read their own bodies do.
                return await WriteAsync(httpContext, bad.StatusCode, "Unsupported Media Type", detail: null, retry: false);
            }
            if (bad.StatusCode == StatusCodes.Status408RequestTimeout)
            {
                // Kestrel's minimum body data rate: the body stopped arriving (a tablet on poor Wi-Fi), which is not a body of
                // the wrong shape (found by an outside tester: "Bad request", blaming the body). Its field and detail come from
                // Platform/ProblemCodes.cs, as the framework's own 408 does.
                return await WriteAsync(httpContext, bad.StatusCode, "Request Timeout", detail: null, retry: false);
            }
            var (field, detail) = BadRequestFields.Of(bad);
            return await WriteAsync(httpContext, bad.StatusCode, "Bad request", detail, retry: false, field: field);
        }
        if (IsDatabaseUnavailable(exception))
        {
            logger.LogWarning("Database unavailable for {Method} {Path}: {Error}", httpContext.Request.Method, httpContext.Request.Path, Describe(exception));
            // A browser's navigation that needed the database (the jobs dashboard) gets the site's error page, not problem
            // JSON (found by an outside tester).
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (await ErrorPages.WritePageAsync(httpContext, StatusCodes.Status503ServiceUnavailable))
            {
                return true;
            }
            return await WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, "Database unavailable",
                $"The database is not reachable at the moment. Nothing was lost: retry in {RetryAfterSeconds} s with the same Idempotency-Key.", retry: true);
        }
        if (IsTimeout(exception))
        {
            // A slow grain call, not a database outage: say so. The key makes a retry safe.
            logger.LogWarning("Timed out: {Method} {Path}: {Error}", httpContext.Request.Method, httpContext.Request.Path, Describe(exception));
            return await WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, "Timed out",
                $"The server did not finish this request in time; it may or may not have been applied. Retry in {RetryAfterSeconds} s with the same Idempotency-Key: it is applied at most once.", retry: true);
        }
        return false;
    }

    async ValueTask<bool> WriteAsync(HttpContext httpContext, int status, string title, string? detail, bool retry, string? field = null)
    {
        httpContext.Response.StatusCode = status;
        if (retry)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var context = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            // No type of its own: ASP.NET's for the status, as every other answer has (one type per status).
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };
        if (field is not null)
        {
            context.ProblemDetails.Extensions["field"] = field;
            context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail ?? title] };
        }
        return await problemDetails.TryWriteAsync(context);
    }

    /// <summary>True when the exception, or one it wraps, says the database (or a call waiting on it) is unavailable.</summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        foreach (var e in Chain(exception))
        {
            switch (e)
            {
                case PostgresException pg:
                    // 08: connection exceptions; 57P01-57P03: shutdown, crash shutdown, cannot connect now; 53: insufficient
                    // resources (a full disk, memory, too many connections); 58: the server's system errors (I/O); an internal
                    // error writing or extending a file is the full disk too (found by an outside tester: a full disk gave 500).
                    if (pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03"
                        || pg.SqlState.StartsWith("53", StringComparison.Ordinal) || pg.SqlState.StartsWith("58", StringComparison.Ordinal)
                        || (pg.SqlState == "XX000" && pg.MessageText.StartsWith("could not ", StringComparison.Ordinal)))
                    {
                        return true;
                    }
                    break;
                case NpgsqlException npgsql when npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException:
                    return true;
                case SocketException:
                // A silo that just died (kill -9, node lost) until membership declares it dead: the same "retry shortly".
                case Orleans.Runtime.SiloUnavailableException:
                case Orleans.Runtime.OrleansMessageRejectionException:
                    return true;
                // A database exception thrown in a grain on another silo that Orleans could not serialize back.
                case Orleans.Serialization.CodecNotFoundException codec when codec.Message.Contains("Npgsql", StringComparison.Ordinal):
                    return true;
                // An exception from another silo whose type this silo cannot rebuild keeps its type name.
                case Orleans.Serialization.UnavailableExceptionFallbackException fallback
                    when fallback.ExceptionType is { } type && (type.Contains("Npgsql", StringComparison.Ordinal) || type.Contains("SocketException", StringComparison.Ordinal) || type.Contains("TimeoutException", StringComparison.Ordinal)):
                    return true;
            }
        }
        return false;
    }

    /// <summary>A call that timed out (an Orleans grain call, a command) without a database error behind it.</summary>
    public static bool IsTimeout(Exception exception) => Chain(exception).Any(e => e is TimeoutException or TaskCanceledException);

    static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        var seen = 0;
        while (pending.Count > 0 && seen++ < 32)
        {
            var e = pending.Pop();
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is not null)
            {
                pending.Push(e.InnerException);
            }
        }
    }

    static string Describe(Exception exception) =>
        string.Join(" <- ", Chain(exception).Select(e => $"{e.GetType().Name}: {e.Message}"));
}

public static class DatabaseOutageHandling
{
    /// <summary>Answers 503 with Retry-After (never 500) while PostgreSQL is unavailable; see <see cref="DatabaseUnavailableHandler"/>.</summary>
    public static WebApplicationBuilder AddDatabaseOutageHandling(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        return builder;
    }
}
