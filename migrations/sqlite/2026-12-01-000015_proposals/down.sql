DROP TABLE governance_documents;
DROP TABLE proposal_templates;
DROP TABLE proposal_votes;
DROP TABLE proposal_log;
DROP TABLE proposals;
