DROP TABLE markers;
DROP TABLE notifications;
DROP TABLE bookmarks;
DROP TABLE reblogs;
DROP TABLE favourites;
