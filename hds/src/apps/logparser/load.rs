//! Log files of a log session and their entries (docs/api-design.md#log-sessions): one
//! transaction, every entry through one COPY fed by a parsing thread.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use futures_util::SinkExt;

use super::extract::{open, progress, Claimed, Failure, LogsCtx, Plan};
use super::{names, parse};

/// Log files and their entries, in one transaction on a connection of its own: the earlier
/// run's rows removed, a row per file, then every entry through one COPY fed by a parsing
/// thread. Returns (files, entries).
#[allow(clippy::too_many_arguments)]
pub(super) async fn load_logs(
    pool: &crate::db::DbPool,
    ctx: &LogsCtx,
    id: i64,
    s: &Claimed,
    zip: &Path,
    plan: &Plan,
    names_in_zip: &[String],
    mut done: usize,
) -> Result<(usize, i64), Failure> {
    let (mut client, connection) =
        tokio_postgres::connect(&ctx.database_url, tokio_postgres::NoTls).await?;
    let conn_task = tokio::spawn(connection);
    let tx = client.transaction().await?;
    tx.execute("DELETE FROM log_files WHERE log_session_id = $1", &[&id])
        .await?;
    let mut files: Vec<(usize, i64)> = Vec::new();
    for &i in &plan.logs {
        let full = &names_in_zip[i];
        let base = names::base_name(full);
        let mut file_name = base.to_string();
        file_name.truncate(100);
        let mut service = names::service(base);
        service.truncate(50);
        let row = tx
            .query_one(
                "INSERT INTO log_files (log_session_id, file_name, service, robot, logfile_type, \
                 creator_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[
                    &id,
                    &file_name,
                    &service,
                    &names::robot(base),
                    &names::extension(base),
                    &s.creator_id,
                ],
            )
            .await?;
        files.push((i, row.get(0)));
    }
    let (send, mut recv) = tokio::sync::mpsc::channel::<Chunk>(4);
    let zip2: PathBuf = zip.to_path_buf();
    let files2 = files.clone();
    let fallback = s.date_epoch.unwrap_or(0.0);
    let cap = ctx.limits.max_total;
    let parser = tokio::task::spawn_blocking(move || -> Result<i64, Failure> {
        let mut archive = open(&zip2)?;
        let mut seq = 0i64;
        let mut read_total = 0u64;
        for (index, file_id) in files2 {
            let member = archive
                .by_index(index)
                .map_err(|e| Failure::permanent(format!("the zip is corrupt: {e}")))?;
            let name = member.name().map(|n| n.into_owned()).unwrap_or_default();
            let levels = names::extension(&name) == "log";
            let mut w = parse::EntryWriter::new(file_id, seq, fallback, levels);
            let mut counted = Counted {
                inner: member,
                read: 0,
                cap: cap.saturating_sub(read_total),
            };
            let reader = BufReader::with_capacity(256 * 1024, &mut counted);
            parse::read_member(reader, &mut w, |rows| {
                send.blocking_send(Chunk::Rows(rows)).map_err(|_| ())
            })
            .map_err(|e| match e {
                parse::ReadError::Io(e) => Failure::permanent(format!("{name}: {e}")),
                parse::ReadError::Sink(()) => Failure::passing("the database stopped reading"),
            })?;
            read_total += counted.read;
            seq = w.next_seq;
            send.blocking_send(Chunk::FileDone {
                file_id,
                entries: w.entries,
            })
            .map_err(|_| Failure::passing("the database stopped reading"))?;
        }
        Ok(seq)
    });
    let sink = tx
        .copy_in("COPY log_entries (file_id, seq, ts, level, message) FROM STDIN")
        .await?;
    futures_util::pin_mut!(sink);
    let mut counts: Vec<(i64, i64)> = Vec::new();
    let copied: Result<(), Failure> = async {
        while let Some(chunk) = recv.recv().await {
            match chunk {
                Chunk::Rows(rows) => sink.send(bytes::Bytes::from(rows)).await?,
                Chunk::FileDone { file_id, entries } => {
                    counts.push((file_id, entries));
                    done += 1;
                    progress(pool, id, done).await?;
                }
            }
        }
        Ok(())
    }
    .await;
    drop(recv);
    let parsed = parser.await.map_err(Failure::passing)?;
    // The COPY's own failure first: the parser then only saw it stop reading.
    copied?;
    parsed?;
    sink.as_mut().finish().await?;
    for (file_id, entries) in &counts {
        tx.execute(
            "UPDATE log_files SET line_count = $2 WHERE id = $1",
            &[file_id, entries],
        )
        .await?;
    }
    tx.commit().await?;
    drop(client);
    let _ = conn_task.await;
    Ok((files.len(), counts.iter().map(|(_, n)| n).sum()))
}

/// A member's reader that refuses to give more than `cap` bytes (the zip's total limit).
struct Counted<R> {
    inner: R,
    read: u64,
    cap: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.cap {
            return Err(std::io::Error::other(
                "the zip expands beyond the accepted total",
            ));
        }
        Ok(n)
    }
}

/// What the parsing thread hands to the COPY.
enum Chunk {
    Rows(Vec<u8>),
    FileDone { file_id: i64, entries: i64 },
}
