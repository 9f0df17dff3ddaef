//! `cohort serve`: bind the listener and run the node until Ctrl-C or SIGTERM.

use cohort::Node;

pub(crate) async fn serve(node: Node) -> anyhow::Result<()> {
    let config = &node.state.config;
    if config.federation.debug {
        tracing::warn!("federation.debug is on: http:// peers and loopback addresses are allowed; never use this in production");
    }
    let addr = config.listen_addr()?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr} (server.listen): {e}"))?;
    println!(
        "Cohort {} serving {} on http://{addr} ({} database)",
        env!("CARGO_PKG_VERSION"),
        config.base_url(),
        node.state.db.backend().name()
    );
    node.serve(listener, async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(t) => t,
                    Err(_) => {
                        let _ = ctrl_c.await;
                        return;
                    }
                };
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        tracing::info!("shutting down");
    })
    .await
}
