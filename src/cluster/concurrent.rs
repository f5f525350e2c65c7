//! Bounded concurrency for the requests of one step: the reads of a snapshot, the writes of one
//! apply group, the batches of a bulk call. At most [`IN_FLIGHT`] requests of a step are sent
//! at once, so that a large content never opens hundreds of connections to a cluster.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

/// How many requests of one step may be in flight together.
pub(crate) const IN_FLIGHT: usize = 16;

/// Runs the futures with at most `limit` of them in progress at a time, in the order given
/// (the next one starts when one finishes), and returns their outputs in that same order.
///
/// The future returned is boxed and `Send`: a caller's future that awaits it stays `Send` (so
/// that targets can run on the runtime's threads) even where the futures given borrow from the
/// caller through closures, which the compiler cannot otherwise prove `Send` for every lifetime.
pub(crate) fn bounded<'a, I, F>(
    limit: usize,
    futures: I,
) -> Pin<Box<dyn Future<Output = Vec<F::Output>> + Send + 'a>>
where
    I: IntoIterator<Item = F>,
    I::IntoIter: Send + 'a,
    F: Future + Send + 'a,
    F::Output: Send + 'a,
{
    Box::pin(run_bounded(limit, futures.into_iter()))
}

async fn run_bounded<I, F>(limit: usize, futures: I) -> Vec<F::Output>
where
    I: Iterator<Item = F>,
    F: Future,
{
    let limit = limit.max(1);
    let mut waiting = futures.enumerate();
    let mut outputs: Vec<Option<F::Output>> = Vec::new();
    let mut running: Vec<(usize, Pin<Box<F>>)> = Vec::new();
    let mut exhausted = false;
    std::future::poll_fn(|cx| loop {
        while !exhausted && running.len() < limit {
            match waiting.next() {
                Some((index, future)) => {
                    outputs.push(None);
                    running.push((index, Box::pin(future)));
                }
                None => exhausted = true,
            }
        }
        let before = running.len();
        running.retain_mut(|(index, future)| match future.as_mut().poll(cx) {
            Poll::Ready(output) => {
                outputs[*index] = Some(output);
                false
            }
            Poll::Pending => true,
        });
        if running.is_empty() && exhausted {
            return Poll::Ready(());
        }
        // Something finished: start the next ones (and poll them) before waiting.
        if running.len() == before {
            return Poll::Pending;
        }
    })
    .await;
    outputs
        .into_iter()
        .map(|output| output.expect("every future ran to completion"))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn keeps_the_order_and_the_bound() {
        let in_flight = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let futures = (0..20u64).map(|i| {
            let (in_flight, most) = (&in_flight, &most);
            async move {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                // Later ones finish sooner: the output order must not follow completion.
                tokio::time::sleep(Duration::from_millis(20 - i)).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                i * 10
            }
        });
        let started = std::time::Instant::now();
        let outputs = bounded(4, futures).await;
        assert_eq!(outputs, (0..20).map(|i| i * 10).collect::<Vec<_>>());
        assert_eq!(most.load(Ordering::SeqCst), 4);
        // 20 sleeps of at most 20 ms, 4 at a time: about 5 waves, far from 20 in turn.
        assert!(
            started.elapsed() < Duration::from_millis(250),
            "{:?}",
            started.elapsed()
        );
        assert!(bounded(3, Vec::<std::future::Ready<u8>>::new())
            .await
            .is_empty());
    }
}
