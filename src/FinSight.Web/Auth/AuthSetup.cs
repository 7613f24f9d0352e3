using FinSight.Web.Data;
using FinSight.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;

namespace FinSight.Web.Auth;

public static class AuthSetup
{
    public static IServiceCollection AddFinSightAuth(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, DataDirectory dataDirectory)
    {
        var section = configuration.GetSection(AuthOptions.Section);
        services.Configure<AuthOptions>(section);
        var options = section.Get<AuthOptions>() ?? new AuthOptions();
        if (options.TokenLifetimeMinutes <= 0)
        {
            throw new InvalidOperationException("Auth:TokenLifetimeMinutes must be positive.");
        }
        var key = SigningKey.Resolve(options, environment, dataDirectory);

        services.AddSingleton(key);
        services.AddSingleton<TokenService>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                // Why a token failed (expired, bad signature) helps a developer and an attacker alike.
                jwt.IncludeErrorDetails = !environment.IsProduction();
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = options.Issuer,
                    ValidAudience = options.Audience,
                    IssuerSigningKey = key,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    // A short skew: an expired token should stop working close to when it says.
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = "unique_name",
                };
                jwt.Events = new JwtBearerEvents
                {
                    // Revocation: a token of a deleted account, or issued before the stamp changed, is 401.
                    OnTokenValidated = async context =>
                    {
                        var db = context.HttpContext.RequestServices.GetRequiredService<FinSightDbContext>();
                        var warm = context.HttpContext.RequestServices.GetRequiredService<WarmState>();
                        if (!await warm.IsCurrentAsync(db, context.Principal!, requireSession: false, context.HttpContext.RequestAborted))
                        {
                            context.Fail("The token was revoked.");
                        }
                    },
                };
            });
        services.AddAuthorization();
        return services;
    }
}
