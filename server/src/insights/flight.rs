//! One computation of the same figures for everyone who asks while they are computed.
//!
//! The dashboard counts over every case and grant: seconds of database work. When twenty
//! supervisors open it at once (the morning meeting), twenty computations would hold twenty
//! connections for seconds each and leave none for the case pages. Here the first request
//! for a set of figures computes them, and every request for the same set that arrives
//! meanwhile waits for that result, holding no connection, instead of computing its own.
//! Nothing is kept afterwards: a later request computes afresh, so a figure is never older
//! than the computation that was under way when its request arrived. Each request still
//! records its own view in the audit trail. A computation that fails fails for everyone
//! waiting on it, at once: with the database down, twenty waiting dashboards answer after
//! one attempt, not after twenty made in turn. Only when the computing request leaves
//! (its client went away) does a waiting one compute instead.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use shelter_shared::insights::Insights;
use tokio::sync::watch;

/// How a computation ended, for the requests waiting on it.
#[derive(Clone)]
enum Outcome {
    Landed(Arc<Insights>),
    Failed,
}

/// What a waiting request receives: the outcome, once there is one.
type Landed = watch::Receiver<Option<Outcome>>;

/// The computations under way, by what they compute (one per server).
#[derive(Default)]
pub struct Flights {
    under_way: Mutex<HashMap<String, Landed>>,
}

impl std::fmt::Debug for Flights {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Flights").finish_non_exhaustive()
    }
}

enum Role {
    Lead(watch::Sender<Option<Outcome>>),
    Follow(Landed),
}

impl Flights {
    /// The figures `key` names: computed by `compute` unless a computation of the same key
    /// is under way, whose result is then shared. If that computation fails, this request
    /// fails with `failed()`; if its request leaves, this one computes them itself.
    pub async fn share<E, F, Fut>(&self, key: String, compute: F, failed: impl FnOnce() -> E) -> Result<Insights, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Insights, E>>,
    {
        let mut compute = Some(compute);
        loop {
            match self.role(&key) {
                Role::Follow(mut landed) => {
                    let outcome = landed.wait_for(Option::is_some).await.ok().and_then(|outcome| outcome.clone());
                    match outcome {
                        Some(Outcome::Landed(figures)) => return Ok(Insights::clone(&figures)),
                        Some(Outcome::Failed) => return Err(failed()),
                        // The leader's request left: lead the next attempt.
                        None => {}
                    }
                }
                Role::Lead(send) => {
                    let _landing = Landing { flights: self, key: &key };
                    // Leading ends in a return, so only a request that has not computed yet
                    // gets here.
                    let Some(compute) = compute.take() else { continue };
                    let result = compute().await;
                    let outcome = match &result {
                        Ok(figures) => Outcome::Landed(Arc::new(figures.clone())),
                        Err(_) => Outcome::Failed,
                    };
                    // Nobody waiting is fine.
                    let _ = send.send(Some(outcome));
                    return result;
                }
            }
        }
    }

    /// How many computations are under way.
    pub fn under_way(&self) -> usize {
        self.lock().len()
    }

    fn role(&self, key: &str) -> Role {
        let mut under_way = self.lock();
        if let Some(landed) = under_way.get(key) {
            return Role::Follow(landed.clone());
        }
        let (send, landed) = watch::channel(None);
        under_way.insert(key.to_owned(), landed);
        Role::Lead(send)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Landed>> {
        // Nothing panics while holding the lock; if something did, the map is still whole.
        self.under_way.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Ends a computation's entry, whether it landed, failed or its request left.
struct Landing<'a> {
    flights: &'a Flights,
    key: &'a str,
}

impl Drop for Landing<'_> {
    fn drop(&mut self) {
        self.flights.lock().remove(self.key);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use tokio::sync::oneshot;

    use super::*;

    fn figures(from: &str) -> Insights {
        Insights { from: from.into(), to: "2026-12-01".into(), k: 5, figures: vec![] }
    }

    /// Computes `figures(from)` once `go` fires, counting each computation.
    async fn computed(runs: &AtomicUsize, go: oneshot::Receiver<()>, from: &str) -> Result<Insights, String> {
        runs.fetch_add(1, Ordering::SeqCst);
        go.await.map_err(|e| e.to_string())?;
        Ok(figures(from))
    }

    /// What a request answers when the computation it waited on failed.
    fn failed() -> String {
        "shared failure".into()
    }

    #[tokio::test]
    async fn requests_for_the_same_figures_meanwhile_share_one_computation() {
        let (flights, runs) = (Flights::default(), AtomicUsize::new(0));
        let (go, gate) = oneshot::channel();
        let (_unused, never) = oneshot::channel();
        let first = flights.share("a".into(), || computed(&runs, gate, "first"), failed);
        let second = async {
            // Asks once the first is under way.
            while flights.under_way() == 0 {
                tokio::task::yield_now().await;
            }
            let asked = flights.share("a".into(), || computed(&runs, never, "second"), failed);
            let _ = go.send(());
            asked.await
        };
        let (first, second) = tokio::join!(first, second);
        assert_eq!(runs.load(Ordering::SeqCst), 1, "one computation");
        assert_eq!((first.map(|f| f.from), second.map(|f| f.from)), (Ok("first".into()), Ok("first".into())));
        assert_eq!(flights.under_way(), 0, "nothing is kept afterwards");
    }

    #[tokio::test]
    async fn when_the_computation_fails_those_waiting_fail_with_it_at_once() {
        let (flights, runs) = (Flights::default(), AtomicUsize::new(0));
        let (fail, gate) = oneshot::channel::<()>();
        let (_unused, never) = oneshot::channel();
        let first = flights.share("a".into(), || computed(&runs, gate, "first"), failed);
        let second = async {
            while flights.under_way() == 0 {
                tokio::task::yield_now().await;
            }
            let asked = flights.share("a".into(), || computed(&runs, never, "second"), failed);
            drop(fail);
            asked.await
        };
        let (first, second) = tokio::join!(first, second);
        assert_eq!(first.map(|f| f.from), Err("channel closed".into()), "the first computation failed");
        assert_eq!(second.map(|f| f.from), Err(failed()), "the waiting request failed with it");
        assert_eq!(runs.load(Ordering::SeqCst), 1, "and did not compute again");
        assert_eq!(flights.under_way(), 0);
    }

    #[tokio::test]
    async fn when_the_computing_request_leaves_a_waiting_one_computes_its_own() {
        let (flights, runs) = (Flights::default(), AtomicUsize::new(0));
        let (_held, gate) = oneshot::channel::<()>();
        let (go, own) = oneshot::channel();
        let (leave, left) = oneshot::channel::<()>();
        let first = async {
            tokio::select! {
                figures = flights.share("a".into(), || computed(&runs, gate, "first"), failed) => Some(figures),
                _ = left => None,
            }
        };
        let second = async {
            while flights.under_way() == 0 {
                tokio::task::yield_now().await;
            }
            let _ = go.send(());
            let asked = flights.share("a".into(), || computed(&runs, own, "second"), failed);
            // The first request's client goes away once this one waits on it.
            let leaving = async {
                tokio::task::yield_now().await;
                let _ = leave.send(());
            };
            tokio::join!(asked, leaving).0
        };
        let (first, second) = tokio::join!(first, second);
        assert!(first.is_none(), "the first request left");
        assert_eq!(second.map(|f| f.from), Ok("second".into()));
        assert_eq!(runs.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn different_figures_are_computed_apart() {
        let (flights, runs) = (Flights::default(), AtomicUsize::new(0));
        let (go_a, gate_a) = oneshot::channel();
        let (go_b, gate_b) = oneshot::channel();
        let _ = (go_a.send(()), go_b.send(()));
        let (a, b) = tokio::join!(
            flights.share("a".into(), || computed(&runs, gate_a, "a"), failed),
            flights.share("b".into(), || computed(&runs, gate_b, "b"), failed)
        );
        assert_eq!((a.map(|f| f.from), b.map(|f| f.from)), (Ok("a".into()), Ok("b".into())));
        assert_eq!(runs.load(Ordering::SeqCst), 2);
    }
}
