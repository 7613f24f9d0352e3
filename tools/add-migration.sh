#!/usr/bin/env bash
# Adds an EF Core migration for both database providers: tools/add-migration.sh AddHoldings
set -euo pipefail
name="${1:?usage: tools/add-migration.sh MigrationName}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
dotnet tool restore >/dev/null
dotnet build src/FinSight.Web -nologo -v q
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" --no-build --project src/FinSight.Web \
    --context "${provider}FinSightDbContext" \
    --output-dir "Data/Migrations/$provider" --namespace "FinSight.Web.Data.Migrations.$provider"
done
# dotnet ef places the snapshot by namespace rather than --output-dir; put it beside its migrations.
for provider in Sqlite Postgres; do
  stray="src/FinSight.Web/FinSight/Web/Data/Migrations/$provider"
  if [ -d "$stray" ]; then mv "$stray"/*.cs "src/FinSight.Web/Data/Migrations/$provider/"; fi
done
rm -rf src/FinSight.Web/FinSight
echo "Added migration $name for SQLite and PostgreSQL."
