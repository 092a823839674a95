//! Rate limits for the public mutation, `applyToPosting`: per client
//! address and per email address, in memory.
//!
//! Each key is limited with GCRA (the generic cell rate algorithm): a rate of
//! `n` per `period` lets a burst of `n` through at once, then one more every
//! `period / n`. A refused attempt costs nothing, and the refusal says
//! exactly when the next attempt will be let through. State is one instant
//! per key, swept when the table grows, so a flood of distinct keys cannot
//! grow it without bound for longer than one period.
//!
//! The limits are per process: with several replicas, each allows the rate.

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;
use std::net::IpAddr;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::parse_duration;
use crate::error::ApiError;

/// `count` events per `period`, written `5/1h` or `30/10m`; `off` for none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub count: u32,
    pub period: Duration,
}

impl Rate {
    /// No limit at all.
    pub const OFF: Rate = Rate {
        count: 0,
        period: Duration::ZERO,
    };

    /// `count` per `period`.
    pub const fn new(count: u32, period: Duration) -> Rate {
        Rate { count, period }
    }

    fn is_off(self) -> bool {
        self.count == 0
    }
}

impl FromStr for Rate {
    type Err = String;

    fn from_str(text: &str) -> Result<Rate, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") {
            return Ok(Rate::OFF);
        }
        let (count, period) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not a rate such as 5/1h, or off"))?;
        let count: u32 = count
            .trim()
            .parse()
            .map_err(|_| format!("`{count}` is not a whole number"))?;
        let period = parse_duration(period)?;
        if count == 0 || period.is_zero() {
            return Err(format!(
                "`{text}` lets nothing through; use off for no limit"
            ));
        }
        Ok(Rate { count, period })
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_off() {
            f.write_str("off")
        } else {
            write!(f, "{}/{}s", self.count, self.period.as_secs())
        }
    }
}

/// A keyed rate limiter.
pub struct RateLimiter<K> {
    rate: Rate,
    /// For each key, when its allowance is fully spent (GCRA's theoretical
    /// arrival time); keys whose instant has passed carry no state.
    spent_until: Mutex<HashMap<K, Instant>>,
    /// How large the table may grow before the next sweep.
    sweep_at: Mutex<usize>,
}

/// The table size below which no sweep happens.
const SMALLEST_SWEEP: usize = 1024;

impl<K: Hash + Eq> RateLimiter<K> {
    /// A limiter letting `rate` through per key.
    pub fn new(rate: Rate) -> Self {
        RateLimiter {
            rate,
            spent_until: Mutex::new(HashMap::new()),
            sweep_at: Mutex::new(SMALLEST_SWEEP),
        }
    }

    /// Counts an event for `key` at `now`: `Ok` when it is within the rate,
    /// else how long until it would be.
    pub fn check(&self, key: K, now: Instant) -> Result<(), Duration> {
        if self.rate.is_off() {
            return Ok(());
        }
        let interval = self.rate.period / self.rate.count;
        let tolerance = self.rate.period - interval;
        let mut table = self
            .spent_until
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let spent = table.get(&key).copied().unwrap_or(now).max(now);
        let allowed_from = spent.checked_sub(tolerance).unwrap_or(now);
        if allowed_from > now {
            return Err(allowed_from - now);
        }
        table.insert(key, spent + interval);
        let mut sweep_at = self
            .sweep_at
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if table.len() >= *sweep_at {
            table.retain(|_, until| *until > now);
            *sweep_at = (table.len() * 2).max(SMALLEST_SWEEP);
        }
        Ok(())
    }

    /// How many keys carry state (for tests).
    pub fn tracked(&self) -> usize {
        self.spent_until
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .len()
    }
}

/// The limits on applying: per client address and per email address.
pub struct ApplyLimits {
    by_address: RateLimiter<IpAddr>,
    by_email: RateLimiter<String>,
}

impl ApplyLimits {
    /// Limits of `per_address` and `per_email`.
    pub fn new(per_address: Rate, per_email: Rate) -> Self {
        ApplyLimits {
            by_address: RateLimiter::new(per_address),
            by_email: RateLimiter::new(per_email),
        }
    }

    /// Counts an application from `address`. An IPv6 address counts for
    /// its /64 network, which one host usually has to itself.
    pub fn admit_address(&self, address: IpAddr) -> Result<(), ApiError> {
        self.by_address
            .check(network(address), Instant::now())
            .map_err(|wait| ApiError::rate_limited("too many applications from your network", wait))
    }

    /// Counts an application for `email` (normalised by the caller).
    pub fn admit_email(&self, email: &str) -> Result<(), ApiError> {
        self.by_email
            .check(email.to_owned(), Instant::now())
            .map_err(|wait| ApiError::rate_limited("too many applications for this email", wait))
    }
}

/// The key an address is limited under: itself, or its /64 for IPv6.
fn network(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(prefix.into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn a_burst_of_the_count_passes_then_one_more_each_interval() {
        let limiter = RateLimiter::new(Rate::new(4, HOUR));
        let start = Instant::now();
        for _ in 0..4 {
            assert_eq!(limiter.check("a", start), Ok(()));
        }
        assert_eq!(limiter.check("a", start), Err(Duration::from_secs(900)));
        let almost = start + Duration::from_secs(899);
        assert_eq!(limiter.check("a", almost), Err(Duration::from_secs(1)));
        let then = start + Duration::from_secs(900);
        assert_eq!(limiter.check("a", then), Ok(()));
        assert_eq!(limiter.check("a", then), Err(Duration::from_secs(900)));
    }

    #[test]
    fn keys_are_limited_separately_and_refusals_cost_nothing() {
        let limiter = RateLimiter::new(Rate::new(1, HOUR));
        let now = Instant::now();
        assert_eq!(limiter.check("a", now), Ok(()));
        for _ in 0..10 {
            assert!(limiter.check("a", now).is_err());
        }
        assert_eq!(limiter.check("b", now), Ok(()));
        assert_eq!(
            limiter.check("a", now + HOUR),
            Ok(()),
            "refusals did not push it back"
        );
    }

    #[test]
    fn a_full_period_of_quiet_restores_the_whole_burst() {
        let limiter = RateLimiter::new(Rate::new(3, HOUR));
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check("a", start).is_ok());
        }
        let later = start + HOUR;
        for _ in 0..3 {
            assert!(limiter.check("a", later).is_ok());
        }
        assert!(limiter.check("a", later).is_err());
    }

    #[test]
    fn off_lets_everything_through_and_keeps_no_state() {
        let limiter = RateLimiter::new(Rate::OFF);
        let now = Instant::now();
        for _ in 0..1000 {
            assert_eq!(limiter.check("a", now), Ok(()));
        }
        assert_eq!(limiter.tracked(), 0);
    }

    #[test]
    fn keys_whose_allowance_recovered_are_swept_as_the_table_grows() {
        let limiter = RateLimiter::new(Rate::new(1, Duration::from_secs(1)));
        let start = Instant::now();
        for key in 0..SMALLEST_SWEEP - 1 {
            assert!(limiter.check(key, start).is_ok());
        }
        let later = start + Duration::from_secs(2);
        assert!(limiter.check(SMALLEST_SWEEP, later).is_ok());
        assert_eq!(limiter.tracked(), 1, "only the live key is left");
    }

    #[test]
    fn rates_parse_from_configuration() {
        assert_eq!("5/1h".parse(), Ok(Rate::new(5, HOUR)));
        assert_eq!(
            " 30/10m ".parse(),
            Ok(Rate::new(30, Duration::from_secs(600)))
        );
        assert_eq!("off".parse(), Ok(Rate::OFF));
        for bad in ["5", "5/", "/1h", "x/1h", "5/1y", "0/1h", "5/0s", "-1/1h"] {
            assert!(bad.parse::<Rate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn ipv6_hosts_count_by_their_64_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("v6");
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().expect("v6");
        let other: IpAddr = "2001:db8:1:3::1".parse().expect("v6");
        assert_eq!(network(a), network(b));
        assert_ne!(network(a), network(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("mapped");
        assert_eq!(network(mapped), "192.0.2.7".parse::<IpAddr>().expect("v4"));
        let v4: IpAddr = "192.0.2.7".parse().expect("v4");
        assert_eq!(network(v4), v4);
    }
}
