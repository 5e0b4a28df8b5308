//! `initsuperuser`, `create-sqs-user`, `createuser`.

use std::path::Path;

use anyhow::Context;
use diesel_async::AsyncPgConnection;

use crate::apps::users::repo::{self, NewUser};
use crate::auth::password::UNUSABLE_PASSWORD;
use crate::auth::Role;
use crate::config::Config;

async fn connect(config: &Config) -> anyhow::Result<AsyncPgConnection> {
    use diesel_async::AsyncConnection;
    AsyncPgConnection::establish(&config.database_url)
        .await
        .with_context(|| format!("connecting to {}", crate::db::redact(&config.database_url)))
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

pub async fn init_superuser(config: &Config) -> anyhow::Result<()> {
    let username = env("DJANGO_SUPERUSER_USERNAME").unwrap_or_else(|| "aft".into());
    let email = env("DJANGO_SUPERUSER_EMAIL").unwrap_or_default();
    let mut conn = connect(config).await?;
    if repo::find_by_username(&mut conn, &username)
        .await?
        .is_some()
    {
        println!("superuser {username} already exists");
        return Ok(());
    }
    let password_hash = match env("DJANGO_SUPERUSER_PASSWORD") {
        Some(pw) => repo::hash_password_blocking(pw).await?,
        None => {
            if config.is_production() {
                anyhow::bail!(
                    "set DJANGO_SUPERUSER_PASSWORD to create the superuser in production"
                );
            }
            println!("DJANGO_SUPERUSER_PASSWORD not set: using the development password \"aft\"");
            repo::hash_password_blocking("aft".into()).await?
        }
    };
    repo::create(
        &mut conn,
        NewUser {
            username: &username,
            password_hash,
            email: &email,
            first_name: "",
            last_name: "",
            is_active: true,
            is_staff: true,
            is_superuser: true,
            role: Role::Manager,
            slack_id: None,
        },
    )
    .await?;
    println!("created superuser {username}");
    Ok(())
}

/// Ensures the user exists with `role`, returning its id.
async fn ensure_user(
    conn: &mut AsyncPgConnection,
    username: &str,
    role: Role,
) -> anyhow::Result<i64> {
    if let Some(u) = repo::find_by_username(conn, username).await? {
        repo::set_role(conn, u.id, role).await?;
        return Ok(u.id);
    }
    Ok(repo::create(
        conn,
        NewUser {
            username,
            password_hash: UNUSABLE_PASSWORD.into(),
            email: "",
            first_name: "",
            last_name: "",
            is_active: true,
            is_staff: false,
            is_superuser: false,
            role,
            slack_id: None,
        },
    )
    .await?)
}

pub async fn create_sqs_user(config: &Config, token_file: Option<&Path>) -> anyhow::Result<()> {
    let mut conn = connect(config).await?;
    let id = ensure_user(&mut conn, "sqs", Role::Sqs).await?;
    let key = repo::create_api_token(&mut conn, id, "sqs forwarder").await?;
    if let Some(path) = token_file {
        std::fs::write(path, format!("export SQS_TOKEN={key}\n"))
            .with_context(|| format!("writing {}", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    println!("{key}");
    Ok(())
}

pub async fn create_user(
    config: &Config,
    username: &str,
    role: Role,
    password: Option<&str>,
    email: &str,
    superuser: bool,
    token: bool,
) -> anyhow::Result<()> {
    let mut conn = connect(config).await?;
    let password_hash = match password {
        Some(pw) => repo::hash_password_blocking(pw.to_string()).await?,
        None => UNUSABLE_PASSWORD.into(),
    };
    let id = repo::create(
        &mut conn,
        NewUser {
            password_hash,
            email,
            ..NewUser::without_password(username, role, superuser)
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    eprintln!("created user {username} (id {id}, role {})", role.as_str());
    if token {
        println!(
            "{}",
            repo::create_api_token(&mut conn, id, "createuser").await?
        );
    }
    Ok(())
}
