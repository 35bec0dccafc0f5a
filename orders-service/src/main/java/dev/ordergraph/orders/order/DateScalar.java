package dev.ordergraph.orders.order;

import com.netflix.graphql.dgs.DgsComponent;
import com.netflix.graphql.dgs.DgsRuntimeWiring;
import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.scalars.ExtendedScalars;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import graphql.schema.idl.RuntimeWiring;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Date} scalar: an ISO-8601 calendar date, {@code 2026-04-12}. In place of
 * graphql-java-extended-scalars' {@code Date}, which (a) refuses years before 1 ({@code -5000-01-01},
 * {@code 0000-01-01}) at coercion, so a mutation given one failed as a whole with a validation error (no code,
 * and the gateway's {@code DOWNSTREAM_SERVICE_ERROR}) instead of a field error in its payload; and (b) reads
 * a day that does not exist, {@code 2026-02-30}, as the month's last day. This one reads a year of any sign
 * (ISO-8601's expanded years, up to nine digits) and only days that exist; the service's range
 * ({@link OrderDates}) then decides, where the field's errors can say so. {@code DateTime} stays the
 * extended scalar (application.yml turns off the extended time scalars, which would register both).
 */
@DgsComponent
public class DateScalar {

    static final GraphQLScalarType DATE = GraphQLScalarType.newScalar()
            .name("Date")
            .description("A calendar date, ISO-8601, e.g. `2026-04-12`.")
            .coercing(new IsoDate())
            .build();

    @DgsRuntimeWiring
    public RuntimeWiring.Builder dateScalars(RuntimeWiring.Builder builder) {
        return builder.scalar(DATE).scalar(ExtendedScalars.DateTime);
    }

    static final class IsoDate implements Coercing<LocalDate, String> {

        private static final Pattern SHAPE = Pattern.compile("([+-]?)(\\d{4,9})-(\\d{2})-(\\d{2})");

        @Override
        public String serialize(Object value, GraphQLContext context, Locale locale) {
            if (value instanceof LocalDate date) {
                return DateTimeFormatter.ISO_LOCAL_DATE.format(date);
            }
            if (value instanceof String text) {
                try {
                    return DateTimeFormatter.ISO_LOCAL_DATE.format(parse(text));
                } catch (IllegalArgumentException e) {
                    throw new CoercingSerializeException(e.getMessage());
                }
            }
            throw new CoercingSerializeException("Expected a LocalDate, got " + (value == null ? "null" : value.getClass().getSimpleName()));
        }

        @Override
        public LocalDate parseValue(Object input, GraphQLContext context, Locale locale) {
            if (!(input instanceof String text)) {
                throw new CoercingParseValueException("A Date is a string such as \"2026-04-12\".");
            }
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                throw new CoercingParseValueException(e.getMessage());
            }
        }

        @Override
        public LocalDate parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
            if (!(input instanceof StringValue string)) {
                throw new CoercingParseLiteralException("A Date is a string such as \"2026-04-12\".");
            }
            try {
                return parse(string.getValue());
            } catch (IllegalArgumentException e) {
                throw new CoercingParseLiteralException(e.getMessage());
            }
        }

        @Override
        public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
            return StringValue.newStringValue(serialize(input, context, locale)).build();
        }

        static LocalDate parse(String text) {
            Matcher matcher = SHAPE.matcher(text);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a date: expected YYYY-MM-DD, e.g. 2026-04-12.");
            }
            int year = Integer.parseInt(matcher.group(2)) * ("-".equals(matcher.group(1)) ? -1 : 1);
            try {
                return LocalDate.of(year, Integer.parseInt(matcher.group(3)), Integer.parseInt(matcher.group(4)));
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("'" + text + "' is not a date: there is no such day.");
            }
        }

        private static String abbreviate(String s) {
            return s.length() <= 40 ? s : s.substring(0, 40) + "…";
        }
    }
}
