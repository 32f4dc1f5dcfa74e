DROP TABLE festival_photos;
DROP TABLE festivals;
