use super::*;

/// Runs `work` as the processing of an activity whose mark is `first`; answers its output and
/// where the mark stands after.
async fn within<F: Future>(first: Mark, work: F) -> (F::Output, Mark) {
    let slot = Slot(Arc::new(Mutex::new(first)));
    let output = PENDING.scope(slot.clone(), work).await;
    (output, slot.get())
}

#[tokio::test]
async fn one_transaction_takes_the_mark() {
    let id = "https://p.example/a/1".to_string();
    let ((taken, again), after) = within(Mark::Claimed(id.clone()), async {
        let r = take().expect("pending");
        ((r.ap_id().to_string(), r.claimed()), take().is_none())
    })
    .await;
    assert_eq!(taken, (id, true));
    assert!(again, "a second transaction finds nothing to take");
    assert_eq!(after, Mark::Taken);
}

#[tokio::test]
async fn a_restored_mark_is_as_it_was() {
    let id = "https://p.example/a/2".to_string();
    let (claimed, after) = within(Mark::Deferred(id.clone()), async {
        let r = take().expect("pending");
        let claimed = r.claimed();
        r.restore();
        claimed
    })
    .await;
    assert!(!claimed, "a deferred mark is written by the transaction");
    assert_eq!(after, Mark::Deferred(id));
    assert!(take().is_none(), "no mark outside processing");
}

#[tokio::test]
async fn a_duplicate_leaves_nothing_to_take() {
    let id = "https://p.example/a/3".to_string();
    let (left, after) = within(Mark::Deferred(id), async {
        take().expect("pending").duplicate();
        take().is_none()
    })
    .await;
    assert!(left);
    assert_eq!(after, Mark::Duplicate);
}
