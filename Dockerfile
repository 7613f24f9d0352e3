# syntax=docker/dockerfile:1
# FinSight container image: build and publish with the .NET SDK (plus Node/npm, because the web
# project's build runs `npm ci` for its front-end packages, see src/FinSight.Web/FrontEnd.targets),
# then run the published app on the ASP.NET Core runtime image as a non-root user on port 8080.
#
#   docker build -t finsight .
#   docker run -p 8080:8080 -e Auth__SigningKey="$(openssl rand -base64 48)" \
#     -e DATABASE_URL='postgres://user:pass@host/db?sslmode=require' finsight
#
# Every setting comes from environment variables; see the README's "Deploy" and "Configuration".

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# Restore first (only project files), so source edits reuse the cached package layer.
# For the target architecture only (TARGETARCH: amd64, arm64, set by BuildKit and podman): still
# framework-dependent, but without it SQLite's native bundle adds ~65 MB of libraries for iOS,
# macOS, Windows and other platforms. A builder that sets no TARGETARCH gets the portable build.
ARG TARGETARCH
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/FinSight.Domain/FinSight.Domain.csproj src/FinSight.Domain/
COPY src/FinSight.MarketData/FinSight.MarketData.csproj src/FinSight.MarketData/
COPY src/FinSight.Sentiment/FinSight.Sentiment.csproj src/FinSight.Sentiment/
COPY src/FinSight.Web/FinSight.Web.csproj src/FinSight.Web/FrontEnd.targets src/FinSight.Web/
RUN dotnet restore src/FinSight.Web/FinSight.Web.csproj -p:UseAppHost=false ${TARGETARCH:+-a $TARGETARCH}

# Front-end packages likewise (the build's npm target skips `npm ci` once this stamp is newer than the lock file).
COPY src/FinSight.Web/package.json src/FinSight.Web/package-lock.json src/FinSight.Web/
RUN cd src/FinSight.Web \
    && npm ci --no-audit --no-fund \
    && touch node_modules/.finsight-npm-ci

COPY src/ src/
RUN dotnet publish src/FinSight.Web/FinSight.Web.csproj -c Release -o /app --no-restore -p:UseAppHost=false ${TARGETARCH:+-a $TARGETARCH}

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl only for the HEALTHCHECK below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./

# /data holds the SQLite database when no PostgreSQL connection string is given.
RUN mkdir -p /data && chown "$APP_UID" /data
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080 \
    FinSight__DataDirectory=/data
VOLUME /data
EXPOSE 8080

# The non-root "app" user (uid 1654) that the .NET images provide.
USER $APP_UID

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/health || exit 1

ENTRYPOINT ["dotnet", "FinSight.Web.dll"]
