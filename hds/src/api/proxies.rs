//! Which peers' forwarding headers are believed (`HDS_TRUSTED_PROXIES`;
//! docs/api-design.md#clients-and-proxies): the client address a request counts against (the
//! per-client request limit, the login throttle) and the base URL of the links in answers
//! (`next`/`previous`). A client talking to us directly can write any `Host` or
//! `X-Forwarded-*` it likes, so those are read only from a trusted proxy; otherwise the
//! peer's address is the client and links use `HDS_PUBLIC_URL` (or the address the
//! connection came in on).

use std::net::IpAddr;

use actix_web::{web, HttpRequest};

use crate::api::state::AppState;

/// Trusted unless configured otherwise: a proxy on this machine (the web app's development
/// server, a local reverse proxy).
pub const DEFAULT_TRUSTED: &str = "127.0.0.1/32,::1/128";

/// Addresses and CIDR ranges of trusted proxies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// `10.0.0.0/8,192.168.1.7,::1/128`; empty or `none`: no proxy is trusted.
    pub fn parse(list: &str) -> anyhow::Result<Self> {
        let mut nets = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if item.eq_ignore_ascii_case("none") {
                continue;
            }
            let (addr, len) = match item.split_once('/') {
                Some((a, l)) => (a, Some(l)),
                None => (item, None),
            };
            let addr: IpAddr = addr
                .parse()
                .map_err(|_| anyhow::anyhow!("{item:?} is not an address or CIDR range"))?;
            let addr = addr.to_canonical();
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let len =
                match len {
                    Some(l) => l.parse::<u8>().ok().filter(|l| *l <= max).ok_or_else(|| {
                        anyhow::anyhow!("{item:?}: prefix length must be 0–{max}")
                    })?,
                    None => max,
                };
            nets.push((addr, len));
        }
        Ok(TrustedProxies(nets))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|(net, len)| match (ip, net) {
            (IpAddr::V4(a), IpAddr::V4(n)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(*len)).unwrap_or(0);
                u32::from(a) & mask == u32::from(*n) & mask
            }
            (IpAddr::V6(a), IpAddr::V6(n)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(*len)).unwrap_or(0);
                u128::from(a) & mask == u128::from(*n) & mask
            }
            _ => false,
        })
    }
}

fn state(req: &HttpRequest) -> Option<&web::Data<AppState>> {
    req.app_data::<web::Data<AppState>>()
}

fn peer_is_trusted(req: &HttpRequest) -> bool {
    match (req.peer_addr(), state(req)) {
        (Some(peer), Some(s)) => s.config.trusted_proxies.contains(peer.ip()),
        _ => false,
    }
}

/// The client a request comes from: the peer, or, when the peer is a trusted proxy, the
/// nearest address in `X-Forwarded-For` that is not itself a trusted proxy (entries further
/// left were written by the client and prove nothing). `None` without a peer (in-process
/// tests).
pub fn client_ip(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip().to_canonical();
    let Some(s) = state(req).filter(|s| s.config.trusted_proxies.contains(peer)) else {
        return Some(peer);
    };
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in forwarded.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            break;
        };
        client = ip.to_canonical();
        if !s.config.trusted_proxies.contains(client) {
            break;
        }
    }
    Some(client)
}

/// `scheme://host[:port]` of absolute links in an answer: what a trusted proxy says the client
/// asked for (`Forwarded`, `X-Forwarded-Proto`/`-Host`, `Host`), else `HDS_PUBLIC_URL`, else
/// the address the connection came in on.
pub fn base_url(req: &HttpRequest) -> String {
    if peer_is_trusted(req) {
        let info = req.connection_info();
        return format!("{}://{}", info.scheme(), info.host());
    }
    if let Some(url) = state(req).and_then(|s| s.config.public_url.clone()) {
        return url;
    }
    let cfg = req.app_config();
    let scheme = if cfg.secure() { "https" } else { "http" };
    format!("{scheme}://{}", cfg.local_addr())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_match_addresses_of_their_family() {
        let t = TrustedProxies::parse("10.0.0.0/8, 192.168.1.7,::1/128,fd00::/8").unwrap();
        for yes in [
            "10.1.2.3",
            "192.168.1.7",
            "::1",
            "fd12::1",
            "::ffff:10.9.9.9",
        ] {
            assert!(t.contains(yes.parse().unwrap()), "{yes}");
        }
        for no in ["11.0.0.1", "192.168.1.8", "::2", "127.0.0.1"] {
            assert!(!t.contains(no.parse().unwrap()), "{no}");
        }
        assert!(TrustedProxies::parse("0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
        assert_eq!(
            TrustedProxies::parse("none").unwrap(),
            TrustedProxies::default()
        );
        for bad in ["10.0.0.0/33", "example.org", "10.0.0.0/x", "::/129"] {
            assert!(TrustedProxies::parse(bad).is_err(), "{bad}");
        }
    }
}
