//! Build script: records the commit the binary is built from as `HDS_BUILD_GITHASH`, which
//! migration logs carry (docs/api-design.md#migrations). `GITHASH` in the build's environment
//! wins (the container build passes it: the image's build context holds no `.git`); otherwise
//! `git rev-parse HEAD`; otherwise `UNKNOWN`.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// Reruns the script when `path` changes. Only paths that exist: cargo takes a missing one as
/// always changed, which would rebuild the crate every time.
fn watch(path: Option<String>) {
    if let Some(p) = path.filter(|p| std::path::Path::new(p).exists()) {
        println!("cargo:rerun-if-changed={p}");
    }
}

fn main() {
    println!("cargo:rerun-if-env-changed=GITHASH");
    let from_env = std::env::var("GITHASH")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let hash = match from_env {
        Some(h) => h,
        None => {
            // Rebuild when the checkout moves to another commit: HEAD, the branch it points
            // to, and packed refs (paths as git gives them, worktrees included).
            for path in ["HEAD", "packed-refs"] {
                watch(git(&["rev-parse", "--git-path", path]));
            }
            if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
                watch(git(&["rev-parse", "--git-path", &branch]));
            }
            git(&["rev-parse", "HEAD"]).unwrap_or_else(|| "UNKNOWN".to_string())
        }
    };
    // The column holds 40 characters (a SHA-1 commit id).
    let hash: String = hash.chars().take(40).collect();
    println!("cargo:rustc-env=HDS_BUILD_GITHASH={hash}");
}
