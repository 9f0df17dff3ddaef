"""Mastodon.py 2.3.3 across two nodes: favourites, boosts and bookmarks of a group post, their
federation (Like, Announce, Undo) and the notifications they raise; follow notifications; notes,
pins, featured hashtags, mutes and blocks (federated as Block); markers.

Usage: interactions_flow.py BASE_A BASE_B PASSWORD   (group `wg` and member `amy` on A, `bea` on B)
"""
import requests

from two_nodes import base_a, base_b, host_a, host_b, login, refused, wait

amy = login(base_a, "amy", "interactions")
bea = login(base_b, "bea", "interactions")
group = bea.search_v2(f"@wg@{host_a}", resolve=True)["accounts"][0]
bea.account_follow(group["id"])
wait("bea joins", lambda: bea.account_relationships(group["id"])[0]["following"])
amy.account_follow(amy.account_lookup("wg")["id"])

original = amy.status_post(f"Protocol v2 draft @wg@{host_a}")
wait("bea sees the post", lambda: any("Protocol v2" in s["content"] for s in bea.timeline_home()))
seen = next(s for s in bea.timeline_home() if "Protocol v2" in s["content"])

# Favourite: counted here and on the author's node, which notifies the author.
fav = bea.status_favourite(seen["id"])
assert fav["favourited"] is True and fav["favourites_count"] == 1, fav
wait("A counts the favourite", lambda: amy.status(original["id"])["favourites_count"] == 1)
likers = amy.status_favourited_by(original["id"])
assert [a["acct"] for a in likers] == [f"bea@{host_b}"], likers
wait("amy is notified", lambda: any(n["type"] == "favourite" for n in amy.notifications()))

# Boost: the answer wraps the original; the author's node counts and notifies.
boost = bea.status_reblog(seen["id"])
assert boost["reblog"]["id"] == seen["id"] and boost["account"]["username"] == "bea", boost
wait("A counts the boost", lambda: amy.status(original["id"])["reblogs_count"] == 1)
assert len(amy.status_reblogged_by(original["id"])) == 1
wait("amy is notified of the boost", lambda: any(n["type"] == "reblog" for n in amy.notifications()))

# Bookmarks are private to bea.
assert bea.status_bookmark(seen["id"])["bookmarked"] is True
assert [s["id"] for s in bea.bookmarks()] == [seen["id"]]
bea.status_unbookmark(seen["id"])
assert bea.bookmarks() == []
assert [s["id"] for s in bea.favourites()] == [seen["id"]]

# Undo both; the author's node follows.
bea.status_unfavourite(seen["id"])
bea.status_unreblog(seen["id"])
wait("A drops the favourite and boost", lambda: (lambda s: s["favourites_count"] == 0 and s["reblogs_count"] == 0)(amy.status(original["id"])))

# Mentions: a member of another node is notified although she does not follow the author.
asked = amy.status_post(f"@bea@{host_b} could you check the consent form?")
assert [m["acct"] for m in asked["mentions"]] == [f"bea@{host_b}"], asked["mentions"]
wait("bea is notified of the mention", lambda: any(
    n["type"] == "mention" and "consent form" in n["status"]["content"] for n in bea.notifications()))
note = next(n for n in bea.notifications() if n["type"] == "mention" and "consent form" in n["status"]["content"])
assert [m["acct"] for m in note["status"]["mentions"]] == ["bea"], note["status"]["mentions"]

# Following a member notifies them.
amy_on_b = bea.search_v2(f"@amy@{host_a}", resolve=True)["accounts"][0]
bea.account_follow(amy_on_b["id"])
wait("amy is notified of the follow", lambda: any(n["type"] == "follow" for n in amy.notifications()))

# Ringing the bell: a follow with notify=true raises a `status` notification for each new post.
wait("bea's follow is accepted", lambda: bea.account_relationships(amy_on_b["id"])[0]["following"])
assert bea.account_relationships(amy_on_b["id"])[0]["notifying"] is False
rel = bea.account_follow(amy_on_b["id"], notify=True)
assert rel["following"] is True and rel["notifying"] is True, rel
amy.status_post("Minutes of the steering call are online")
wait("bea is notified of amy's new post", lambda: any(
    n["type"] == "status" and "Minutes" in n["status"]["content"] for n in bea.notifications()))
# On a group: every new post in it (amy on A, bea posting from B).
wg_on_a = amy.account_lookup("wg")
assert amy.account_follow(wg_on_a["id"], notify=True)["notifying"] is True
bea.status_post(f"Sample intake opens Monday @wg@{host_a}")
wait("amy is notified of the new group post", lambda: any(
    n["type"] == "status" and "Sample intake" in n["status"]["content"] for n in amy.notifications()))
rel = bea.account_follow(amy_on_b["id"], notify=False)
assert rel["following"] is True and rel["notifying"] is False, rel
amy.status_post("A second note nobody rang the bell for")
wait("B stores the second note", lambda: any("nobody rang" in s["content"] for s in bea.timeline_home()))
assert not any(n["type"] == "status" and "nobody rang" in n["status"]["content"] for n in bea.notifications())

# Filtering, dismissing and clearing notifications.
only_favs = amy.notifications(types=["favourite"])
assert only_favs and all(n["type"] == "favourite" for n in only_favs), only_favs
amy.notifications_dismiss(only_favs[0]["id"])
assert all(n["id"] != only_favs[0]["id"] for n in amy.notifications())
amy.notifications_clear()
assert amy.notifications() == []

# Media: upload, describe, attach, federate; bad uploads are refused.
import struct
import zlib


def png(w, h):
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * w for _ in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


media = bea.media_post(png(40, 20), mime_type="image/png", description="sample tray layout")
assert media["type"] == "image" and media["meta"]["original"]["width"] == 40, media
served = requests.get(media["url"])
assert served.status_code == 200 and served.headers["content-type"] == "image/png", served
bea.media_update(media["id"], description="sample tray layout, v2")
assert bea.media(media["id"])["description"] == "sample tray layout, v2"
with_media = bea.status_post(f"Tray layout attached @wg@{host_a}", media_ids=[media["id"]])
assert with_media["media_attachments"][0]["id"] == media["id"], with_media
wait("A shows the attachment", lambda: any(
    s["media_attachments"] and s["media_attachments"][0]["description"] == "sample tray layout, v2"
    for s in amy.timeline_home()))
refused("a file that is no image", lambda: bea.media_post(b"not an image", mime_type="image/png"))
refused("an 11 MB image", lambda: bea.media_post(b"\x89PNG\r\n\x1a\n" + b"\x00" * (11 * 1024 * 1024),
                                                 mime_type="image/png"), ("413",))
refused("an upload attached again", lambda: bea.status_post("reusing an attached upload", media_ids=[media["id"]]))

# Video and audio: the type is read from the bytes; size and length from the MP4 header.
import io


def boxed(kind, body):
    return struct.pack(">I", len(body) + 8) + kind + body


def mp4(with_video):
    mvhd = bytearray(100)
    mvhd[12:20] = struct.pack(">II", 1000, 2500)
    tkhd = bytearray(84)
    if with_video:
        tkhd[76:84] = struct.pack(">II", 320 << 16, 240 << 16)
    moov = boxed(b"moov", boxed(b"mvhd", bytes(mvhd)) + boxed(b"trak", boxed(b"tkhd", bytes(tkhd))))
    return boxed(b"ftyp", b"isom\0\0\x02\0isomiso2mp41") + moov


clip = bea.media_post(mp4(True), mime_type="video/mp4", description="centrifuge demo")
assert clip["type"] == "video" and clip["url"].endswith(".mp4"), clip
assert clip["meta"]["original"]["width"] == 320 and clip["meta"]["original"]["duration"] == 2.5, clip
assert requests.get(clip["url"]).headers["content-type"] == "video/mp4"
sound = bea.media_post(b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64, mime_type="audio/mpeg")
assert sound["type"] == "audio" and sound["url"].endswith(".mp3"), sound
limits = bea.instance_v2()["configuration"]["media_attachments"]
assert "video/mp4" in limits["supported_mime_types"] and limits["video_size_limit"] > 0, limits
bea.status_post(f"Centrifuge walkthrough and briefing @wg@{host_a}", media_ids=[clip["id"], sound["id"]])
wait("A shows the video and the audio", lambda: any(
    sorted(m["type"] for m in s["media_attachments"]) == ["audio", "video"] for s in amy.timeline_home()))
remote_clip = next(m for s in amy.timeline_home() for m in s["media_attachments"] if m["type"] == "video")
assert remote_clip["description"] == "centrifuge demo" and remote_clip["meta"]["original"]["duration"] == 2.5, remote_clip

# Profile picture and header: stored here, shown on the other node after Update(Person).
me = bea.account_update_credentials(avatar=io.BytesIO(png(64, 64)), avatar_mime_type="image/png",
                                    header=io.BytesIO(png(300, 100)), header_mime_type="image/png")
assert "/media/" in me["avatar"] and "/media/" in me["header"], me
assert requests.get(me["avatar"]).headers["content-type"] == "image/png"
bea_on_a = amy.search_v2(f"@bea@{host_b}")["accounts"][0]
wait("A shows bea's new picture", lambda: amy.account(bea_on_a["id"])["avatar"] == me["avatar"])
refused("a non-image avatar", lambda: bea.account_update_credentials(
    display_name="Not applied", avatar=io.BytesIO(b"<svg/>"), avatar_mime_type="image/png"))
unchanged = bea.account_verify_credentials()
assert unchanged["avatar"] == me["avatar"] and unchanged["display_name"] != "Not applied", unchanged
cleared = bea.account_delete_avatar()
assert cleared["avatar"].endswith("/static/avatar.png") and cleared["header"] == me["header"], cleared
wait("A drops bea's picture", lambda: amy.account(bea_on_a["id"])["avatar"] != me["avatar"])

# Notes, pins and featured hashtags.
rel = bea.account_note_set(amy_on_b["id"], "chairs the steering call")
assert rel["note"] == "chairs the steering call", rel
assert bea.account_relationships(amy_on_b["id"])[0]["note"] == "chairs the steering call"
handbook = amy.status_post("Read this first: the lab #handbook")
assert amy.status_pin(handbook["id"])["pinned"] is True
assert [s["id"] for s in amy.account_statuses(amy.me()["id"], pinned=True)] == [handbook["id"]]
wait("B shows amy's pin", lambda: any(
    "lab" in s["content"] and "handbook" in s["content"]
    for s in bea.account_statuses(amy_on_b["id"], pinned=True)))
bea_post_on_a = next(s for s in amy.timeline_home() if "Tray layout" in s["content"])
refused("pinning someone else's post", lambda: amy.status_pin(bea_post_on_a["id"]))
secret = amy.status_post("only for bea", visibility="direct")
refused("pinning a direct post", lambda: amy.status_pin(secret["id"]))
refused("pinning an unknown post", lambda: amy.status_pin("01HZZZZZZZZZZZZZZZZZZZZZZZ"), ("404",))
assert amy.status_unpin(handbook["id"])["pinned"] is False
wait("B drops amy's pin", lambda: bea.account_statuses(amy_on_b["id"], pinned=True) == [])
tag = amy.featured_tag_create("handbook")
assert tag["name"] == "handbook" and tag["statuses_count"] == "1", tag
refused("featuring a hashtag twice", lambda: amy.featured_tag_create("handbook"))
assert [t["name"] for t in amy.featured_tags()] == ["handbook"]
assert [t["name"] for t in amy.account_featured_tags(amy.me()["id"])] == ["handbook"]
amy.featured_tag_suggestions()
amy.featured_tag_delete(tag["id"])
assert amy.featured_tags() == []

# Mutes stay on this node: bea's posts leave amy's home timeline for an hour.
rel = amy.account_mute(bea_on_a["id"], notifications=True, duration=3600)
assert rel["muting"] and rel["muting_notifications"] and rel["muting_expires_at"], rel
assert [a["id"] for a in amy.mutes()] == [bea_on_a["id"]]
assert not any(s["account"]["id"] == bea_on_a["id"] for s in amy.timeline_home())
refused("a negative mute duration", lambda: amy.account_mute(bea_on_a["id"], duration=-5))
assert amy.account_relationships(bea_on_a["id"])[0]["muting_expires_at"] == rel["muting_expires_at"]
assert amy.account_unmute(bea_on_a["id"])["muting"] is False

# Blocks federate: bea's follow of amy ends on both nodes and she cannot follow again.
refused("blocking yourself", lambda: amy.account_block(amy.me()["id"]))
rel = amy.account_block(bea_on_a["id"])
assert rel["blocking"] and not rel["followed_by"], rel
assert [a["id"] for a in amy.blocks()] == [bea_on_a["id"]]
wait("B learns of the block", lambda: bea.account_relationships(amy_on_b["id"])[0]["blocked_by"])
assert not bea.account_relationships(amy_on_b["id"])[0]["following"]
refused("following an account that blocks you", lambda: bea.account_follow(amy_on_b["id"]), ("403",))
assert amy.account_unblock(bea_on_a["id"])["blocking"] is False
wait("B learns of the unblock", lambda: not bea.account_relationships(amy_on_b["id"])[0]["blocked_by"])
assert amy.blocks() == []

# Markers.
bea.markers_set(["home"], [seen["id"]])
markers = bea.markers_get(["home"])
assert markers["home"]["last_read_id"] == seen["id"], markers
print("interactions ok")
