DROP TABLE tip_indicators;
