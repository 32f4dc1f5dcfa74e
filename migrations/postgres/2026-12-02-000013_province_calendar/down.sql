DROP TABLE province_calendar;
