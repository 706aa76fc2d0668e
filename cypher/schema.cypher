// Constraints and indexes of the infoops graph model (see DESIGN.md).
// Applied idempotently by `infoops db init` and by every loader before it writes.
// A uniqueness constraint is also the index every MERGE of the loader relies on.

CREATE CONSTRAINT account_userid IF NOT EXISTS FOR (a:Account) REQUIRE a.userid IS UNIQUE;
CREATE CONSTRAINT tweet_tweetid IF NOT EXISTS FOR (t:Tweet) REQUIRE t.tweetid IS UNIQUE;
CREATE CONSTRAINT hashtag_name IF NOT EXISTS FOR (h:Hashtag) REQUIRE h.name IS UNIQUE;
CREATE CONSTRAINT url_url IF NOT EXISTS FOR (u:Url) REQUIRE u.url IS UNIQUE;
CREATE CONSTRAINT domain_name IF NOT EXISTS FOR (d:Domain) REQUIRE d.name IS UNIQUE;
CREATE CONSTRAINT client_name IF NOT EXISTS FOR (c:Client) REQUIRE c.name IS UNIQUE;
CREATE CONSTRAINT dataset_name IF NOT EXISTS FOR (d:Dataset) REQUIRE d.name IS UNIQUE;
CREATE CONSTRAINT detectionrun_run_id IF NOT EXISTS FOR (r:DetectionRun) REQUIRE r.run_id IS UNIQUE;
CREATE CONSTRAINT ring_ring_id IF NOT EXISTS FOR (r:Ring) REQUIRE r.ring_id IS UNIQUE;

CREATE INDEX account_screen_name IF NOT EXISTS FOR (a:Account) ON (a.screen_name);
CREATE INDEX account_created_at IF NOT EXISTS FOR (a:Account) ON (a.created_at);
CREATE INDEX tweet_created_at IF NOT EXISTS FOR (t:Tweet) ON (t.created_at);
CREATE INDEX tweet_dataset IF NOT EXISTS FOR (t:Tweet) ON (t.dataset);
CREATE INDEX tweet_text_hash IF NOT EXISTS FOR (t:Tweet) ON (t.text_hash);
CREATE INDEX tweet_language IF NOT EXISTS FOR (t:Tweet) ON (t.language);
// A statistic the loaders keep (toolkit/load/statistics.py): the most retweeted first.
CREATE INDEX tweet_retweets IF NOT EXISTS FOR (t:Tweet) ON (t.retweets);
CREATE INDEX ring_run_id IF NOT EXISTS FOR (r:Ring) ON (r.run_id);
CREATE INDEX coordinated_run_id IF NOT EXISTS FOR ()-[c:COORDINATED]-() ON (c.run_id);
