-- `discoverable` becomes every account's choice to be listed in directories and follow
-- suggestions: a remote actor's as its document says, a member's as they set it. This node's
-- accounts were always listed until now, so they start listed.
UPDATE actors SET discoverable = TRUE WHERE local;
